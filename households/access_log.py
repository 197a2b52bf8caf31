"""The access log: who read or changed what of a family, and when. Every app writes it here,
through one of two entry points: `log_access` for one household's record (and `log_bulk_view`
for a page that shows several households at once), `log_group_action` for the group as a whole
(a report, an export of the group's figures)."""

from collections.abc import Iterable, Sequence

from accounts.models import User
from groups.models import Group
from households.models import AccessLogEntry, Household

__all__ = ["log_access", "log_bulk_view", "log_group_action"]


def log_access(
    *,
    user: User | None,
    household: Household,
    action: str,
    fields: Sequence[str] = (),
    person_id: int | None = None,
    visit_id: int | None = None,
) -> AccessLogEntry:
    """One access-log row on one household's record. `user=None`: the system did it (the
    retention job)."""
    return AccessLogEntry.objects.create(
        group_id=household.group_id,
        household=household,
        user=user,
        action=action,
        fields=list(fields),
        person_id=person_id,
        visit_id=visit_id,
    )


def log_bulk_view(
    *, user: User, households: Iterable[Household], action: str, fields: Sequence[str] = ()
) -> None:
    """One access-log row per household, in one query (a page that shows several families)."""
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(group_id=h.group_id, household=h, user=user, action=action, fields=list(fields))
        for h in households
    )


def log_group_action(*, user: User, group: Group, action: str, fields: Sequence[str] = ()) -> AccessLogEntry:
    """One access-log row for the group as a whole, on no household (a report, an export)."""
    return AccessLogEntry.objects.create(
        group_id=group.pk, household=None, user=user, action=action, fields=list(fields)
    )
