"""The family's own copy of what the group holds about them (GDPR art. 15).

`collect(household)` reads everything about one household in a fixed number of queries, every
query scoped to that household (and its group): nothing of another family can end up in it.
Adding a model that holds family data is one more function in `SECTIONS`.
"""

from collections.abc import Callable

from django.db.models import Count, Max, Min, Prefetch
from django.db.models.functions import TruncDate

from activities.models import Attendance, BoardSeat
from households.models import AccessLogEntry, Household
from visits.models import FollowUp, Signal, Visit, VisitVolunteer


def _persons(household: Household) -> dict:
    return {"persons": list(household.persons.filter(group_id=household.group_id).order_by("pk"))}


def _consents(household: Household) -> dict:
    return {
        "consents": list(
            household.consents.filter(group_id=household.group_id)
            .select_related("recorded_by")
            .order_by("date", "created_at", "pk")
        )
    }


def _contacts(household: Household) -> dict:
    return {
        "contact_people": [
            c.user
            for c in household.contacts.filter(group_id=household.group_id)
            .select_related("user")
            .order_by("user__full_name")
        ]
    }


def _visits(household: Household) -> dict:
    visits = list(
        Visit.objects.filter(household_id=household.pk, group_id=household.group_id)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "visit_volunteers", queryset=VisitVolunteer.objects.select_related("user").order_by("pk")
            )
        )
        .order_by("date", "pk")
    )
    return {
        "visits": visits,
        # Listed for the coordinator to review before handing the copy over (art. 15(4)): they
        # may say things about other people. Never printed or downloaded as they are.
        "confidential_notes": [v for v in visits if v.confidential_note],
    }


def _follow_ups(household: Household) -> dict:
    return {
        "follow_ups": list(
            FollowUp.objects.filter(household_id=household.pk, group_id=household.group_id)
            .select_related("assignee")
            .order_by("due_date", "pk")
        )
    }


def _signals(household: Household) -> dict:
    return {
        "signals": list(
            Signal.objects.filter(household_id=household.pk, group_id=household.group_id).order_by(
                "noticed_on", "pk"
            )
        )
    }


def _attendance(household: Household) -> dict:
    """The group activities the household's persons took part in (and where they helped)."""
    return {
        "attendance": list(
            Attendance.objects.filter(household_id=household.pk, group_id=household.group_id)
            .select_related("activity", "person")
            .order_by("date", "activity__starts_at", "person__first_name")
        )
    }


def _board_seats(household: Household) -> dict:
    """When the household's persons sat on the group's board (kerngroep)."""
    return {
        "board_seats": list(
            BoardSeat.objects.filter(household_id=household.pk, group_id=household.group_id)
            .select_related("person")
            .order_by("started_on", "pk")
        )
    }


def _access(household: Household) -> dict:
    """Who looked at or changed the record, per member, day and kind of action."""
    rows = (
        AccessLogEntry.objects.filter(household_id=household.pk, group_id=household.group_id)
        .annotate(day=TruncDate("at"))
        .values("day", "user__full_name", "user__email", "action")
        .annotate(times=Count("pk"), first=Min("at"), last=Max("at"))
        .order_by("day", "first")
    )
    labels = dict(AccessLogEntry.Action.choices)
    return {
        "access": [
            {
                **row,
                "who": row["user__full_name"] or row["user__email"] or None,
                "what": labels.get(row["action"], row["action"]),
            }
            for row in rows
        ]
    }


SECTIONS: list[Callable[[Household], dict]] = [
    _persons,
    _consents,
    _contacts,
    _visits,
    _follow_ups,
    _signals,
    _attendance,
    _board_seats,
    _access,
]


def collect(household: Household) -> dict:
    """Everything the group holds about `household`, as template context (lists of rows)."""
    context: dict = {"household": household}
    for section in SECTIONS:
        context |= section(household)
    return context
