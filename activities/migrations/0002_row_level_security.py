# Row-level security on every group-owned table of activities (rls.operations.enable_for).

from django.db import migrations

from rls.operations import enable_for


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0001_activities'),
        ('households', '0005_row_level_security'),
    ]

    operations = [
        *enable_for('activities_activityseries'),
        *enable_for('activities_activity'),
        *enable_for('activities_activityorganiser'),
        *enable_for('activities_activityvolunteer'),
        *enable_for('activities_activitysignal'),
        *enable_for('activities_attendance'),
    ]
