from django.core.management.base import BaseCommand

from writes.resubmission import RESUBMISSION_WINDOW, prune_receipts


class Command(BaseCommand):
    help = (
        "Delete the submission receipts older than the resubmission window "
        f"({int(RESUBMISSION_WINDOW.total_seconds() // 60)} minutes): they can no longer answer a repeat. "
        "Run it every hour or so (cron, or the task worker)."
    )

    def handle(self, *args, **options) -> None:
        deleted = prune_receipts()
        self.stdout.write(f"{deleted} receipts deleted")
