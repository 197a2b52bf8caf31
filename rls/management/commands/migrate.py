"""`migrate`, always as the migration role (`rls.roles.migration_role`)."""

from django.core.management.commands.migrate import Command as Base

from rls.roles import migration_role


class Command(Base):
    def execute(self, *args, **options):
        with migration_role(options.get("database") or "default"):
            return super().execute(*args, **options)
