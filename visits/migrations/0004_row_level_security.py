# Row-level security on every group-owned table of visits (rls.operations.enable_for).

from django.db import migrations

from rls.operations import enable_for


class Migration(migrations.Migration):

    dependencies = [
        ('visits', '0003_confidential_note_expiry'),
    ]

    operations = [
        *enable_for('visits_visit'),
        *enable_for('visits_visitvolunteer'),
        *enable_for('visits_followup'),
        *enable_for('visits_signal'),
    ]
