# Row-level security on the board seats (rls.operations.enable_for).

from django.db import migrations

from rls.operations import enable_for


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0004_board_seats'),
    ]

    operations = [*enable_for('activities_boardseat')]
