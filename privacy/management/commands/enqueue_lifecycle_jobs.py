"""Enqueue the daily lifecycle jobs; the worker (`manage.py db_worker`) runs them.

Called once a day by the operating system's timer (docs/deploy.md). Enqueuing twice is harmless:
every job works out for itself what is due.
"""

from django.core.management.base import BaseCommand

from privacy.tasks import DAILY


class Command(BaseCommand):
    help = "Enqueue retention, note expiry and access-log purge (run daily by a timer)."

    def handle(self, *args, **options) -> None:
        for job in DAILY:
            result = job.enqueue()
            self.stdout.write(f"{job.name}: {result.id}")
