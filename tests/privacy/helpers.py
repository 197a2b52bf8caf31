from django.core.management import call_command


def run_worker() -> None:
    """The real worker of django-tasks-db, once over everything queued, in this process."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
