"""Writes on activities and attendance: each in one transaction, with its access-log rows.

Attendance is a family's data: every change writes a row to the households' access log, one per
household touched, through the one `log_access` helper (households.access_log)."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activities.models import (
    Activity,
    ActivityOrganiser,
    ActivitySeries,
    ActivitySignal,
    ActivityVolunteer,
    Attendance,
    BoardSeat,
    local_datetime,
    seats_overlapping,
)
from groups.models import Group
from households import log_fields
from households.access_log import log_access
from households.models import AccessLogEntry, Household, Person
from visits.models import Signal
from writes.stale import EditConflictError, save_versioned

Action = AccessLogEntry.Action


def attendance_fields(activity: Activity, *extra: str) -> list[str]:
    """The `fields` of an attendance row in the access log: what, and which activity."""
    return [log_fields.ATTENDANCE, f"{log_fields.ACTIVITY}:{activity.pk}", *extra]


def _set_links[M: (ActivityOrganiser, ActivitySignal)](
    activity: Activity, model: type[M], column: str, wanted_ids: Iterable[int]
) -> None:
    wanted = set(wanted_ids)
    links = model.objects.filter(activity=activity)
    existing = set(links.values_list(column, flat=True))
    links.filter(**{f"{column}__in": existing - wanted}).delete()
    model.objects.bulk_create(
        model(group_id=activity.group_id, activity=activity, **{column: pk}) for pk in wanted - existing
    )


def _at(day: date, moment: datetime) -> datetime:
    """The same local clock time on another day (a weekly 19:00 stays 19:00 across DST)."""
    return local_datetime(day, timezone.localtime(moment).time())


def create_activity(
    *,
    group: Group,
    author: User,
    activity: Activity,
    submission_id: uuid.UUID | str | None,
    organisers: Iterable[User],
    signals: Iterable[Signal] = (),
    series: ActivitySeries | None = None,
) -> tuple[Activity, bool]:
    """Save a new activity, or with `series` one activity per occurrence, all or nothing.

    Each occurrence copies the activity's kind, title, times, place, themes, description and
    organisers, and gets its own attendance. Signals go with the first occurrence only.
    Idempotent on `submission_id`: a double tap returns the first activity and False.
    """
    if submission_id is not None:
        existing = Activity.objects.filter(submission_id=submission_id).first()
        if existing is not None:
            if existing.group_id != group.pk:
                raise ValidationError({"submission_id": "This form was already used in another group."})
            return existing, False
    organiser_ids = [user.pk for user in organisers]
    try:
        with transaction.atomic():
            activity.group = group
            activity.created_by = author
            activity.submission_id = submission_id
            activity.full_clean(validate_unique=False)
            occurrences = [activity]
            if series is not None:
                series.group, series.title, series.created_by = group, activity.title, author
                series.full_clean()
                series.save()
                activity.series = series
                for day in series.occurrence_dates()[1:]:
                    copy = Activity(
                        group=group,
                        series=series,
                        kind=activity.kind,
                        title=activity.title,
                        starts_at=_at(day, activity.starts_at),
                        ends_at=_at(day, activity.starts_at) + (activity.ends_at - activity.starts_at),
                        place=activity.place,
                        themes=list(activity.themes),
                        description=activity.description,
                        created_by=author,
                    )
                    occurrences.append(copy)
            activity.save()
            Activity.objects.bulk_create(occurrences[1:])
            ActivityOrganiser.objects.bulk_create(
                ActivityOrganiser(group=group, activity=occurrence, user_id=pk)
                for occurrence in occurrences
                for pk in organiser_ids
            )
            _set_links(activity, ActivitySignal, "signal_id", (signal.pk for signal in signals))
    except IntegrityError:
        # The same submission won a race with us: it is saved once, which is what the user wanted.
        existing = Activity.objects.filter(submission_id=submission_id, group=group).first()
        if existing is None:
            # The id is taken by a row this group cannot see (row-level security hides other
            # groups' activities): the same refusal as above, never a 500.
            raise ValidationError({"submission_id": "This form was already used in another group."}) from None
        return existing, False
    return activity, True


@transaction.atomic
def update_activity(
    *,
    activity: Activity,
    expected_version: int,
    organisers: Iterable[User],
    signals: Iterable[Signal],
    fields: Sequence[str],
) -> Activity:
    """Save an edited activity, unless someone saved it since `expected_version` was read.

    Raises writes.stale.EditConflictError with the stored activity; nothing is written then.
    """
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if current.version != expected_version:
        raise EditConflictError(current)
    activity.version = F("version") + 1
    activity.full_clean(exclude=["version"])
    activity.save()
    activity.refresh_from_db(fields=["version"])
    activity.attendances.update(date=timezone.localtime(activity.starts_at).date())
    _set_links(activity, ActivityOrganiser, "user_id", (user.pk for user in organisers))
    _set_links(activity, ActivitySignal, "signal_id", (signal.pk for signal in signals))
    return activity


@transaction.atomic
def delete_activity(*, activity: Activity, author: User) -> None:
    households = Household.objects.filter(attendances__activity=activity).distinct()
    for household in households:
        log_access(
            user=author,
            household=household,
            action=Action.CHANGE,
            fields=attendance_fields(activity, log_fields.ATTENDANCE_DELETED),
        )
    activity.delete()


@transaction.atomic
def save_attendance(
    *,
    activity: Activity,
    author: User,
    present_add: Iterable[int] = (),
    present_remove: Iterable[int] = (),
    helped_add: Iterable[int] = (),
    helped_remove: Iterable[int] = (),
    spoke_add: Iterable[int] = (),
    spoke_remove: Iterable[int] = (),
    volunteers_add: Iterable[int] = (),
    volunteers_remove: Iterable[int] = (),
    unregistered_count: int | None = None,
) -> int:
    """Apply ticks and unticks to an activity's attendance. Person ids must already be known to
    belong to the activity's group (the form's choices); they are checked again here.

    Returns how many households' attendance changed. Adding a person who is already there, or
    removing one who is not, changes nothing: the same form sent twice is harmless.
    """
    present_add, present_remove = set(present_add), set(present_remove)
    helped_add = set(helped_add)
    helped_remove = set(helped_remove) - helped_add
    spoke_add = set(spoke_add)
    spoke_remove = set(spoke_remove) - spoke_add
    touched = present_add | present_remove | helped_add | helped_remove | spoke_add | spoke_remove
    persons = {
        person.pk: person
        for person in Person.objects.filter(group_id=activity.group_id, pk__in=touched).only(
            "pk", "household_id"
        )
    }
    if set(persons) != touched:
        raise ValidationError("A person of another group cannot attend this activity.")
    existing = {a.person_id: a for a in activity.attendances.filter(person_id__in=touched)}
    changed_households: dict[int, set[str]] = {}

    def note(person_id: int, what: str) -> None:
        changed_households.setdefault(persons[person_id].household_id, set()).add(what)

    removed = [pk for pk in present_remove if pk in existing]
    activity.attendances.filter(person_id__in=removed).delete()
    for pk in removed:
        note(pk, log_fields.ATTENDANCE_REMOVED)
    new = [
        Attendance(
            group_id=activity.group_id,
            activity=activity,
            person_id=pk,
            household_id=persons[pk].household_id,
            helped_organise=pk in helped_add,
            spoke=pk in spoke_add,
            date=timezone.localtime(activity.starts_at).date(),
        )
        for pk in present_add
        if pk not in existing
    ]
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    for attendance in new:
        note(attendance.person_id, log_fields.ATTENDANCE_ADDED)
    for flag, add, remove in [
        ("helped_organise", helped_add, helped_remove),
        ("spoke", spoke_add, spoke_remove),
    ]:
        for pk, value in [(pk, True) for pk in add] + [(pk, False) for pk in remove]:
            current = existing.get(pk)
            if current is not None and pk not in removed and getattr(current, flag) != value:
                setattr(current, flag, value)
                current.save(update_fields=[flag])
                note(pk, flag)
    _set_links_diff(activity, set(volunteers_add), set(volunteers_remove))
    if unregistered_count is not None and unregistered_count != activity.unregistered_count:
        activity.unregistered_count = unregistered_count
        activity.save(update_fields=["unregistered_count", "updated_at"])
    households = Household.objects.filter(pk__in=changed_households)
    for household in households:
        log_access(
            user=author,
            household=household,
            action=Action.CHANGE,
            fields=attendance_fields(activity, *sorted(changed_households[household.pk])),
        )
    return len(changed_households)


def _set_links_diff(activity: Activity, add: set[int], remove: set[int]) -> None:
    activity.activity_volunteers.filter(user_id__in=remove - add).delete()
    ActivityVolunteer.objects.bulk_create(
        [ActivityVolunteer(group_id=activity.group_id, activity=activity, user_id=pk) for pk in add],
        ignore_conflicts=True,
    )


def board_fields(*extra: str) -> list[str]:
    """The `fields` of a board-seat row in the access log."""
    return [log_fields.BOARD, *extra]


def add_board_seat(
    *,
    group: Group,
    author: User,
    person: Person,
    started_on: date,
    ended_on: date | None,
    submission_id: uuid.UUID | str | None,
) -> tuple[BoardSeat, bool]:
    """Record that `person` (of one of `group`'s households) sits on the group's board from
    `started_on` to `ended_on` (None: still). Logged as a change of the person's household.

    Returns (seat, created). Idempotent on `submission_id`: the same form sent twice returns the
    first seat and False. Raises ValidationError (keyed by field, Dutch messages) when the
    person is of another group, the end lies before the start, or the person already holds a
    seat on a day of this period (a seat per person at a time, so that nobody is counted twice).
    """
    if submission_id is not None:
        existing = BoardSeat.objects.filter(submission_id=submission_id, group=group).first()
        if existing is not None:
            return existing, False
    if person.group_id != group.pk:
        raise ValidationError({"person": _("Kies een gezinslid van deze groep.")})
    seat = BoardSeat(
        group=group,
        person=person,
        household_id=person.household_id,
        started_on=started_on,
        ended_on=ended_on,
        created_by=author,
        submission_id=submission_id,
    )
    seat.full_clean(exclude=["group", "person", "household", "created_by"], validate_unique=False)
    with transaction.atomic():
        # Lock the person's row: two coordinators adding the same person at once are serialised.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        far = date.max if ended_on is None else ended_on
        if seats_overlapping(BoardSeat.objects.filter(group=group, person=person), started_on, far).exists():
            raise ValidationError(
                {
                    "started_on": _("%(name)s zit in die periode al in de kerngroep.")
                    % {"name": person.first_name}
                }
            )
        try:
            with transaction.atomic():
                seat.save()
        except IntegrityError:
            existing = BoardSeat.objects.filter(submission_id=submission_id, group=group).first()
            if existing is None:
                raise ValidationError(
                    {"person": _("Dit formulier werd al gebruikt. Laad de pagina opnieuw.")}
                ) from None
            return existing, False
        log_access(
            user=author,
            household=Household.objects.get(pk=person.household_id),
            action=Action.CHANGE,
            fields=board_fields(f"{log_fields.SEAT}:{seat.pk}", log_fields.SEAT_ADDED),
            person_id=person.pk,
        )
    return seat, True


def end_board_seat(*, seat: BoardSeat, author: User, ended_on: date) -> bool:
    """End `seat` on `ended_on` (inclusive). Returns False, writing nothing, when the seat was
    already ended (the same form sent twice, or two coordinators at once). Raises
    ValidationError({"ended_on": …}) when `ended_on` lies before the seat's start."""
    with transaction.atomic():
        locked = BoardSeat.objects.select_for_update().get(pk=seat.pk, group_id=seat.group_id)
        if locked.ended_on is not None:
            return False
        if ended_on < locked.started_on:
            raise ValidationError(
                {
                    "ended_on": _("Het einde kan niet voor het begin liggen (%(start)s).")
                    % {"start": locked.started_on.strftime("%d/%m/%Y")}
                }
            )
        locked.ended_on, locked.ended_by = ended_on, author
        locked.save(update_fields=["ended_on", "ended_by"])
        log_access(
            user=author,
            household=Household.objects.get(pk=locked.household_id),
            action=Action.CHANGE,
            fields=board_fields(f"{log_fields.SEAT}:{locked.pk}", log_fields.SEAT_ENDED),
            person_id=locked.person_id,
        )
    seat.ended_on, seat.ended_by = locked.ended_on, author
    return True


# What an edit of a series writes to each occurrence (the rest of the form is the series' own).
OCCURRENCE_FIELDS = (
    "kind",
    "title",
    "place",
    "themes",
    "description",
    "start_time",
    "end_time",
    "organisers",
)


@dataclass
class SeriesResult:
    """What a change of a series did: occurrences changed, added and removed, and the dates of
    those that were to go but have attendance recorded, so were kept (the view says so)."""

    changed: int = 0
    added: int = 0
    removed: int = 0
    kept_with_attendance: list[date] = field(default_factory=list)


def _shorten(series: ActivitySeries, last_date: date, result: SeriesResult) -> None:
    """Remove the occurrences after `last_date` that start today or later and have no attendance;
    note the dates of those with attendance (never deleted silently)."""
    first_gone = max(last_date + timedelta(days=1), timezone.localdate())
    later = series.activities.filter(starts_at__gte=local_datetime(first_gone))
    with_attendance = later.filter(Exists(Attendance.objects.filter(activity=OuterRef("pk"))))
    result.kept_with_attendance = sorted(
        timezone.localtime(moment).date() for moment in with_attendance.values_list("starts_at", flat=True)
    )
    _total, per_model = later.exclude(pk__in=with_attendance.values("pk")).delete()
    result.removed = per_model.get("activities.Activity", 0)


@transaction.atomic
def update_series(
    *,
    series: ActivitySeries,
    author: User,
    expected_version: int,
    fields: Sequence[str],
    values: dict[str, Any],
    organisers: Iterable[User],
    from_date: date,
) -> SeriesResult:
    """Apply an edit of a whole series to every occurrence from `from_date` (a local date) on.

    `fields` are the form's changed fields; of `values` (the form's cleaned data) only those are
    written to the occurrences: kind, title, place, themes, description, start_time and end_time
    (the same local clock time on each occurrence's own date), organisers. Occurrences before
    `from_date` and all attendance stay as they are. Each changed occurrence's version is raised,
    so that a form of one of them opened before this is refused as stale. `title` and `last_date`
    are the series' own: a later `last_date` adds occurrences (from today on, copying `values`),
    an earlier one removes those after it that have no attendance (_shorten).

    Raises writes.stale.EditConflictError (nothing written) when the series was changed since
    `expected_version`, and ValidationError (keyed by field) when the series does not validate.
    """
    result = SeriesResult()
    old_last = ActivitySeries.objects.select_for_update().get(pk=series.pk).last_date
    series.full_clean(exclude=["version"])
    save_versioned(
        series, expected_version=expected_version, fields=[f for f in fields if f in ("title", "last_date")]
    )
    ids = list(
        series.activities.filter(starts_at__gte=local_datetime(from_date))
        .select_for_update()
        .values_list("pk", flat=True)
    )
    occurrences = Activity.objects.filter(pk__in=ids)
    changes = [name for name in fields if name in OCCURRENCE_FIELDS]
    if "start_time" in changes or "end_time" in changes:
        moved = list(occurrences.only("pk", "starts_at", "ends_at"))
        for activity in moved:
            day = timezone.localtime(activity.starts_at).date()
            activity.starts_at = local_datetime(day, values["start_time"])
            activity.ends_at = local_datetime(day, values["end_time"])
        Activity.objects.bulk_update(moved, ["starts_at", "ends_at"])
    organiser_ids = [user.pk for user in organisers]
    if "organisers" in changes:
        ActivityOrganiser.objects.filter(activity_id__in=ids).delete()
        ActivityOrganiser.objects.bulk_create(
            ActivityOrganiser(group_id=series.group_id, activity_id=pk, user_id=user_id)
            for pk in ids
            for user_id in organiser_ids
        )
    if changes:
        simple = {
            name: values[name]
            for name in ("kind", "title", "place", "themes", "description")
            if name in changes
        }
        result.changed = occurrences.update(**simple, version=F("version") + 1, updated_at=timezone.now())
    if series.last_date > old_last:
        today = timezone.localdate()
        new_dates = [day for day in series.occurrence_dates() if day > old_last and day >= today]
        added = Activity.objects.bulk_create(
            Activity(
                group_id=series.group_id,
                series=series,
                kind=values["kind"],
                title=values["title"],
                starts_at=local_datetime(day, values["start_time"]),
                ends_at=local_datetime(day, values["end_time"]),
                place=values["place"],
                themes=list(values["themes"]),
                description=values["description"],
                created_by=author,
            )
            for day in new_dates
        )
        ActivityOrganiser.objects.bulk_create(
            ActivityOrganiser(group_id=series.group_id, activity=activity, user_id=user_id)
            for activity in added
            for user_id in organiser_ids
        )
        result.added = len(added)
    elif series.last_date < old_last:
        _shorten(series, series.last_date, result)
    return result


@transaction.atomic
def end_series(*, series: ActivitySeries, last_date: date) -> SeriesResult:
    """End `series` after `last_date` (a local date, today or later, not after its current end):
    the occurrences after it that have no attendance are removed; those with attendance are kept
    and listed in the result. Ending it again on the same date changes nothing."""
    result = SeriesResult()
    locked = ActivitySeries.objects.select_for_update().get(pk=series.pk, group_id=series.group_id)
    if last_date < locked.last_date:
        ActivitySeries.objects.filter(pk=locked.pk).update(last_date=last_date, version=F("version") + 1)
        series.last_date = last_date
    _shorten(series, last_date, result)
    return result
