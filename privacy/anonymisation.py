"""Anonymising a household: what identifies the family goes, what the figures need stays.

GDPR art. 5(1)(e) (storage limitation: the retention job) and art. 17 (erasure: a coordinator,
at once). Kept: dates, kinds, durations, topics, support given, needs, counts, roles in the
household and birth years as five-year age bands, so that every figure of a past year is the
same before and after. Removed: names, the address except the municipality, phone, e-mail and
every free text (summaries, confidential notes, follow-up and signal descriptions, notes on
persons, consent purposes, the reasons typed on closing or postponing).

Each household is anonymised in its own transaction, its row locked first: a worker killed
halfway leaves that household as it was, and the next run takes it up again.

Adding a model that holds family data is one more entry in `SCRUBS` (a row per household to
empty or delete) and, for the family's copy, one more section in `privacy.subject_access`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model, Q, QuerySet
from django.db.models.functions import Mod
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from activities.models import BoardSeat
from groups.models import Group
from households import log_fields
from households.access_log import log_access
from households.models import AccessLogEntry, Consent, Household, HouseholdContact, Person, add_months
from visits.models import FollowUp, Signal, Visit

Action = AccessLogEntry.Action
AGE_BAND_YEARS = 5
ANONYMOUS_NAME = "Geanonimiseerd gezin"


@dataclass(frozen=True)
class Scrub:
    """What anonymising does to the rows of one model that belong to the household."""

    model: type[Model]
    values: dict[str, Any] = field(default_factory=dict)
    delete: bool = False


SCRUBS: list[Scrub] = [
    Scrub(
        Person,
        {
            "first_name": "–",
            "last_name": "",
            "note": "",
            "birth_year": F("birth_year") - Mod(F("birth_year"), AGE_BAND_YEARS),
        },
    ),
    # Which volunteer was the family's contact says nothing the figures need.
    Scrub(HouseholdContact, delete=True),
    Scrub(Consent, {"purpose": ""}),
    Scrub(
        Visit,
        {"summary": "", "support_note": "", "confidential_note": "", "confidential_note_expires_on": None},
    ),
    Scrub(FollowUp, {"description": ""}),
    Scrub(Signal, {"description": ""}),
    # A group's board is a handful of people everyone in the group knows: a seat kept with its
    # dates would tie the anonymised household back to a known person. So it goes, and the
    # "took a role" figure of past years loses that person (docs/privacy.md).
    Scrub(BoardSeat, delete=True),
]


class ErasureRefused(Exception):
    """The household cannot be erased now; `str(error)` is a Dutch message for the coordinator."""


class EraseReason:
    """Why a coordinator erases a household: a choice, never free text, so that the access log
    (which keeps the reason) holds no names."""

    FAMILY_REQUEST = "family_request"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    NOT_NEEDED = "not_needed"
    CHOICES = [
        (FAMILY_REQUEST, _("het gezin vraagt het (vergeetrecht)")),
        (CONSENT_WITHDRAWN, _("de toestemming is ingetrokken")),
        (NOT_NEEDED, _("de gegevens hadden nooit bewaard mogen worden")),
    ]


def name_erase_reasons(keys: Mapping[int, set[str]]) -> dict[tuple[int, str], str]:
    """The access log's words for an erasure's reason ('reden:family_request'); no query."""
    reasons = dict(EraseReason.CHOICES)
    text = gettext("reden: %(reason)s")
    return {
        (group_id, key): text % {"reason": reasons[key]}
        for group_id, group_keys in keys.items()
        for key in group_keys
        if key in reasons
    }


def due_households(today: date) -> QuerySet[Household]:
    """Closed, not yet anonymised households whose retention period ended on or before `today`.

    The period is the group's `retention_months` or settings.RETENTION_MONTHS, counted from
    `closed_on`; a postponed household is due on `retention_postponed_until` instead.
    """
    in_use = Group.objects.exclude(retention_months=None).values_list("retention_months", flat=True)
    months_in_use = cast(set[int], set(in_use.distinct()))  # None is excluded
    by_period = Q(
        group__retention_months__isnull=True,
        closed_on__lte=add_months(today, -settings.RETENTION_MONTHS),
    )
    for months in months_in_use:
        by_period |= Q(group__retention_months=months, closed_on__lte=add_months(today, -months))
    return Household.objects.filter(
        Q(retention_postponed_until__isnull=True) & by_period | Q(retention_postponed_until__lte=today),
        status=Household.Status.CLOSED,
        anonymised_at__isnull=True,
        closed_on__isnull=False,
    )


def _scrub(household: Household, *, by: User | None, action: str, fields: list[str]) -> None:
    """Empty every identifying field of `household` (locked by the caller) and its rows."""
    for scrub in SCRUBS:
        rows = scrub.model._default_manager.filter(household_id=household.pk)
        if scrub.delete:
            rows.delete()
        else:
            rows.update(**scrub.values)
    now = timezone.now()
    # What is still to do for a family we no longer know is done: no empty line in someone's list.
    FollowUp.objects.filter(household_id=household.pk, done_at__isnull=True).update(done_at=now)
    Household.objects.filter(pk=household.pk).update(
        display_name=f"{ANONYMOUS_NAME} {household.pk}",
        street="",
        house_number="",
        box="",
        postcode="",
        phone="",
        email="",
        languages=[],
        close_note="",
        retention_postpone_reason="",
        status=Household.Status.CLOSED,
        closed_on=household.closed_on or timezone.localdate(),
        close_reason=household.close_reason or Household.CloseReason.OTHER,
        anonymised_at=now,
        updated_at=now,
        updated_by=by,
        version=F("version") + 1,
    )
    log_access(user=by, household=household, action=action, fields=fields)


def anonymise_if_due(household_id: int, *, today: date) -> bool:
    """Anonymise one household if it is (still) due; True if it was anonymised now.

    Safe to call twice and from several workers at once: the row is locked with SKIP LOCKED, so
    a household another worker holds, or one reopened, postponed or anonymised meanwhile, is
    skipped (False) and nothing is written.
    """
    with transaction.atomic():
        household = (
            due_households(today)
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=household_id)
            .first()
        )
        if household is None:
            return False
        _scrub(
            household,
            by=None,
            action=Action.ANONYMISE,
            fields=[f"{log_fields.RETENTION}:{today.isoformat()}"],
        )
        return True


def erase_household(*, household: Household, author: User, confirm_name: str, reason: str) -> None:
    """Anonymise `household` at once (GDPR art. 17), after its name was typed to confirm.

    Raises ErasureRefused when the name does not match, the reason is unknown, the household
    has open follow-ups or is already anonymised. Irreversible; logged with the reason's code.
    """
    if reason not in dict(EraseReason.CHOICES):
        raise ErasureRefused(_("Kies een reden."))
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk, group_id=household.group_id)
        if locked.is_anonymised:
            raise ErasureRefused(_("Dit gezin is al geanonimiseerd."))
        if confirm_name.strip().casefold() != locked.display_name.strip().casefold():
            raise ErasureRefused(_("Typ de naam van het gezin precies zoals hij hier staat."))
        open_follow_ups = FollowUp.objects.filter(household_id=locked.pk, done_at__isnull=True).count()
        if open_follow_ups:
            raise ErasureRefused(
                _(
                    "Dit gezin heeft nog %(count)s open actiepunt(en). Vink ze eerst af of verwijder ze, "
                    "dan kun je het gezin wissen."
                )
                % {"count": open_follow_ups}
            )
        _scrub(locked, by=author, action=Action.ERASE, fields=[f"{log_fields.ERASE_REASON}:{reason}"])


class PostponeRefused(Exception):
    """The anonymisation cannot be postponed; `str(error)` is a Dutch message."""


POSTPONE_MONTHS = (3, 6, 12)


def postpone_anonymisation(*, household: Household, author: User, months: int, reason: str) -> date:
    """Move the anonymisation of a closed household `months` later, once, with a reason.

    Returns the new date. Raises PostponeRefused when it was postponed before, the household is
    not closed or already anonymised, or `months` is not one of POSTPONE_MONTHS.
    """
    if months not in POSTPONE_MONTHS:
        raise PostponeRefused(_("Kies 3, 6 of 12 maanden."))
    if not reason.strip():
        raise PostponeRefused(_("Geef een reden voor het uitstel."))
    with transaction.atomic():
        locked = (
            Household.objects.select_for_update()
            .select_related("group")
            .get(pk=household.pk, group_id=household.group_id)
        )
        planned = locked.anonymise_on
        if planned is None:
            raise PostponeRefused(_("Alleen een afgesloten gezin dat nog niet geanonimiseerd is."))
        if locked.retention_postponed_until is not None:
            raise PostponeRefused(_("Het anonimiseren van dit gezin is al eens uitgesteld."))
        new_date = add_months(max(planned, timezone.localdate()), months)
        Household.objects.filter(pk=locked.pk).update(
            retention_postponed_until=new_date,
            retention_postpone_reason=reason.strip(),
            updated_by=author,
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        log_access(
            user=author,
            household=locked,
            action=Action.POSTPONE,
            fields=log_fields.POSTPONE_FIELDS,
        )
        return new_date


def anonymise_households(
    ids: list[int], *, today: date, progress: Callable[[int], None] | None = None
) -> int:
    """Run anonymise_if_due over `ids`, one transaction each; returns how many were anonymised."""
    done = 0
    for household_id in ids:
        done += anonymise_if_due(household_id, today=today)
        if progress is not None:
            progress(household_id)
    return done
