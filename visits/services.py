"""Writes on visits, follow-ups and signals: each in one transaction, with its access-log row."""

import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from households import log_fields
from households.access_log import log_access
from households.models import AccessLogEntry, Household
from visits.models import FollowUp, Signal, Visit, VisitVolunteer
from writes.stale import save_versioned

Action = AccessLogEntry.Action


def _set_volunteers(visit: Visit, users: Iterable[User]) -> None:
    wanted = {user.pk for user in users}
    existing = set(visit.visit_volunteers.values_list("user_id", flat=True))
    visit.visit_volunteers.filter(user_id__in=existing - wanted).delete()
    VisitVolunteer.objects.bulk_create(
        VisitVolunteer(group_id=visit.group_id, visit=visit, user_id=pk) for pk in wanted - existing
    )


def _save_item(
    item: FollowUp | Signal, *, household: Household, author: User, visit: Visit | None = None
) -> None:
    """Save a follow-up or signal in the household's group; a new one records who made it."""
    if item.pk is None:
        item.group_id = household.group_id
        item.household = household
        item.created_by = author
        if visit is not None:
            item.visit = visit
    item.full_clean()
    item.save()


def _add_items(visit: Visit, follow_ups: Iterable[FollowUp], signals: Iterable[Signal], author: User) -> None:
    """Save the follow-ups and signals added with a visit, each with its own access-log row
    (as save_follow_up and save_signal write one): the visit's row names the visit's fields only."""
    household = visit.household
    items: list[FollowUp | Signal] = [*follow_ups, *signals]
    fields: Sequence[str]
    for item in items:
        if isinstance(item, Signal):
            item.noticed_on = visit.date
            action, fields = Action.SIGNAL, log_fields.SIGNAL_WITH_VISIT_FIELDS
        else:
            action, fields = Action.FOLLOW_UP, log_fields.FOLLOW_UP_WITH_VISIT_FIELDS
        _save_item(item, household=household, author=author, visit=visit)
        log_access(user=author, household=household, action=action, fields=fields, visit_id=visit.pk)


def record_visit(
    *,
    household: Household,
    author: User,
    visit: Visit,
    submission_id: uuid.UUID | str,
    volunteers: Iterable[User],
    follow_ups: Sequence[FollowUp] = (),
    signals: Sequence[Signal] = (),
    fields: Sequence[str] = (),
) -> tuple[Visit, bool]:
    """Save a new visit with its volunteers, follow-ups and signals, all or nothing.

    Idempotent on `submission_id`: a double tap or a resubmitted form returns the visit the
    first submission made, and False for "created".
    """
    existing = Visit.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        if existing.household_id != household.pk:
            # Only a form tampered with carries another visit's id: refuse it like bad input.
            raise ValidationError({"submission_id": "This form was already used for another household."})
        return existing, False
    try:
        with transaction.atomic():
            visit.group_id = household.group_id
            visit.household = household
            visit.author = author
            visit.submission_id = submission_id
            # Uniqueness of the submission id is the database's job (caught below), so that a
            # twin request that commits in between is answered, not turned into an error.
            visit.full_clean(validate_unique=False)
            visit.save()
            _set_volunteers(visit, volunteers)
            _add_items(visit, follow_ups, signals, author)
            log_access(
                user=author, household=household, action=Action.VISIT_ADD, fields=fields, visit_id=visit.pk
            )
    except IntegrityError:
        # The same submission won a race with us: it is saved once, which is what the user wanted.
        existing = Visit.objects.filter(submission_id=submission_id, household=household).first()
        if existing is None:
            raise
        return existing, False
    return visit, True


@transaction.atomic
def update_visit(
    *,
    visit: Visit,
    author: User,
    expected_version: int,
    volunteers: Iterable[User],
    follow_ups: Sequence[FollowUp] = (),
    signals: Sequence[Signal] = (),
    fields: Sequence[str] = (),
) -> Visit:
    """Save the changed `fields` of a visit (its volunteers when `volunteers` is among them) and
    add new follow-ups and signals. Raises EditConflictError, writing nothing, when someone
    saved the visit since `expected_version`."""
    visit.full_clean()
    save_versioned(visit, expected_version=expected_version, fields=fields)
    if "volunteers" in fields:
        _set_volunteers(visit, volunteers)
    _add_items(visit, follow_ups, signals, author)
    log_access(
        user=author, household=visit.household, action=Action.VISIT_CHANGE, fields=fields, visit_id=visit.pk
    )
    return visit


@transaction.atomic
def delete_visit(*, visit: Visit, author: User) -> None:
    log_access(user=author, household=visit.household, action=Action.VISIT_DELETE, visit_id=visit.pk)
    visit.delete()


@transaction.atomic
def save_follow_up(
    *, follow_up: FollowUp, household: Household, author: User, fields: Sequence[str]
) -> FollowUp:
    _save_item(follow_up, household=household, author=author)
    log_access(user=author, household=household, action=Action.FOLLOW_UP, fields=fields)
    return follow_up


@transaction.atomic
def set_follow_up_done(*, follow_up: FollowUp, user: User, done: bool) -> bool:
    """Tick a follow-up off (`done`) or back. Sets a state, so sending it twice, or after
    someone else did the same, changes nothing: returns False then, and writes nothing."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk, group_id=follow_up.group_id)
    if locked.is_done == done:
        follow_up.done_at, follow_up.done_by_id = locked.done_at, locked.done_by_id
        return False
    follow_up.done_at = timezone.now() if done else None
    follow_up.done_by = user if done else None
    follow_up.save(update_fields=["done_at", "done_by"])
    log_access(
        user=user,
        household=follow_up.household,
        action=Action.FOLLOW_UP,
        fields=log_fields.FOLLOW_UP_DONE_FIELDS,
    )
    return True


@transaction.atomic
def save_signal(
    *,
    signal: Signal,
    household: Household,
    author: User,
    fields: Sequence[str],
    expected_version: int | None = None,
) -> Signal:
    """Add a signal, or save the changed `fields` of one. An edit raises EditConflictError,
    writing nothing, when someone saved the signal since `expected_version`."""
    if signal.pk is None:
        _save_item(signal, household=household, author=author)
    else:
        signal.full_clean()
        save_versioned(signal, expected_version=expected_version or 0, fields=fields)
    log_access(user=author, household=household, action=Action.SIGNAL, fields=fields)
    return signal
