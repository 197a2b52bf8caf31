"""Background jobs on Django's tasks framework (django.tasks), run by django-tasks-db's worker.

Every job is idempotent: it works out from the database what is due today and does it, each
unit of work in its own transaction. Enqueued twice, run by two workers at once, or killed
halfway, it neither loses anything nor does anything twice; the next run finishes the rest.
`manage.py enqueue_lifecycle_jobs` enqueues them all (daily, from a systemd timer: docs/deploy.md).
"""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.tasks import Task, task
from django.utils import timezone

from households import log_fields
from households.models import AccessLogEntry
from privacy.anonymisation import anonymise_households, due_households
from rls import scope
from visits.models import Visit

logger = logging.getLogger(__name__)


@task
def anonymise_due_households() -> dict[str, int]:
    """Anonymise every closed household whose retention period has ended (GDPR art. 5(1)(e)).

    Returns {"due": n, "anonymised": m}; m < n when another worker took some or one changed."""
    today = timezone.localdate()
    # Row-level security: the worker reads every group, and says so (rls.scope.task). Each
    # household is then anonymised in a transaction of its own, under the same named scope.
    with scope.task("retention"):
        ids = list(due_households(today).order_by("pk").values_list("pk", flat=True))
    anonymised = 0
    for household_id in ids:
        with scope.task("retention"):
            anonymised += anonymise_households([household_id], today=today)
    logger.info("retention: %s due, %s anonymised", len(ids), anonymised)
    return {"due": len(ids), "anonymised": anonymised}


@task
def expire_confidential_notes() -> int:
    """Empty the confidential notes whose lifetime has ended; one access-log row per note.

    Returns how many notes were emptied."""
    today = timezone.localdate()
    with transaction.atomic(), scope.task("note expiry"):
        visits = list(
            Visit.objects.filter(confidential_note_expires_on__lte=today)
            .select_for_update(skip_locked=True)
            .values_list("pk", "group_id", "household_id")
        )
        Visit.objects.filter(pk__in=[pk for pk, _, _ in visits]).update(
            confidential_note="", confidential_note_expires_on=None
        )
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                group_id=group_id,
                household_id=household_id,
                user=None,
                action=AccessLogEntry.Action.NOTE_EXPIRED,
                fields=list(log_fields.NOTE_EXPIRED_FIELDS),
                visit_id=pk,
            )
            for pk, group_id, household_id in visits
        )
    return len(visits)


def access_log_cutoff():
    """Rows older than this are purged: settings.ACCESS_LOG_RETENTION_YEARS (5 by default)."""
    now = timezone.now()
    return now - timedelta(days=round(365.25 * settings.ACCESS_LOG_RETENTION_YEARS))


@task
def purge_access_log() -> int:
    """Delete access-log rows older than the log's lifetime, through the database function that
    alone may delete from the log (households/migrations/0001_initial.py). Returns how many rows went."""
    with transaction.atomic(), scope.task("access log lifetime"), connection.cursor() as cursor:
        cursor.execute("SELECT welzijn_purge_access_log(%s)", [access_log_cutoff()])
        (purged,) = cursor.fetchone()
    return purged


DAILY: list[Task[[], Any]] = [anonymise_due_households, expire_confidential_notes, purge_access_log]
