# Row-level security on every group-owned table of households (rls.operations.enable_for).

from django.db import migrations

from rls.operations import enable_for


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0004_accesslog_purge'),
    ]

    operations = [
        *enable_for('households_household'),
        *enable_for('households_householdcontact'),
        *enable_for('households_person'),
        *enable_for('households_consent'),
        *enable_for('households_accesslogentry'),
    ]
