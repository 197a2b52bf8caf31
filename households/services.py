"""Writes on households, persons and consent. Each one writes its access-log row in the same
transaction: a change that is not logged does not happen."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.db.models import F

from accounts.models import User
from groups.models import Group
from households import log_fields
from households.access_log import log_access, log_bulk_view
from households.models import AccessLogEntry, Consent, Household, HouseholdContact, Person
from writes.stale import EditConflictError, save_versioned

Action = AccessLogEntry.Action
# The access log lives in households.access_log; re-exported for the callers of this module.
__all__ = ["EditConflictError", "log_access", "log_bulk_view"]


def _set_contacts(household: Household, users: Iterable[User]) -> None:
    wanted = {user.pk for user in users}
    existing = set(household.contacts.values_list("user_id", flat=True))
    household.contacts.filter(user_id__in=existing - wanted).delete()
    HouseholdContact.objects.bulk_create(
        HouseholdContact(group_id=household.group_id, household=household, user_id=pk)
        for pk in wanted - existing
    )


@transaction.atomic
def create_household(
    *, group: Group, author: User, household: Household, contacts: Iterable[User], fields: Sequence[str]
) -> Household:
    household.group = group
    household.created_by = household.updated_by = author
    household.full_clean()
    household.save()
    _set_contacts(household, contacts)
    log_access(user=author, household=household, action=Action.CREATE, fields=fields)
    return household


@transaction.atomic
def update_household(
    *,
    household: Household,
    author: User,
    expected_version: int,
    fields: Sequence[str],
    contacts: Iterable[User] | None,
) -> Household:
    """Save the changed `fields` of `household` if nobody saved it since `expected_version`.

    Raises EditConflictError (and writes nothing) when the stored version moved on.
    """
    household.full_clean()
    save_versioned(household, expected_version=expected_version, fields=fields, updated_by=author)
    if contacts is not None and "contact_volunteers" in fields:
        _set_contacts(household, contacts)
    household.refresh_from_db()
    log_access(user=author, household=household, action=Action.CHANGE, fields=fields)
    return household


@transaction.atomic
def close_household(*, household: Household, author: User, closed_on: date, reason: str, note: str) -> None:
    household.status = Household.Status.CLOSED
    household.closed_on = closed_on
    household.close_reason = reason
    household.close_note = note
    _save_status(household, author, Action.CLOSE)


@transaction.atomic
def reopen_household(*, household: Household, author: User) -> None:
    household.status = Household.Status.ACTIVE
    household.closed_on = None
    household.close_reason = ""
    household.close_note = ""
    _save_status(household, author, Action.REOPEN)


def _save_status(household: Household, author: User, action: str) -> None:
    household.full_clean()
    household.updated_by = author
    household.version = F("version") + 1
    fields = list(log_fields.CLOSE_FIELDS)
    household.save(update_fields=[*fields, "updated_by", "updated_at", "version"])
    household.refresh_from_db(fields=["version"])
    log_access(user=author, household=household, action=action, fields=fields)


@transaction.atomic
def save_person(
    *,
    person: Person,
    household: Household,
    author: User,
    fields: Sequence[str],
    expected_version: int | None = None,
) -> Person:
    """Add a person, or save the changed `fields` of one. An edit (`expected_version` given)
    raises EditConflictError, writing nothing, when someone saved the person since."""
    is_new = person.pk is None
    person.household = household
    person.group_id = household.group_id
    person.full_clean()
    if is_new:
        person.save()
    else:
        save_versioned(person, expected_version=expected_version or 0, fields=fields)
    action = Action.PERSON_ADD if is_new else Action.PERSON_CHANGE
    log_access(user=author, household=household, action=action, fields=fields, person_id=person.pk)
    return person


@transaction.atomic
def delete_person(*, person: Person, author: User) -> None:
    log_access(user=author, household=person.household, action=Action.PERSON_DELETE, person_id=person.pk)
    person.delete()


@transaction.atomic
def record_consent(*, consent: Consent, household: Household, author: User, based_on: int | None) -> Consent:
    """Add a consent row. `based_on`: the id of the row that was current when the form was
    shown (None: there was none). If another row became current since, raise
    EditConflictError with that row, writing nothing: the newest row counts, so recording over
    someone else's withdrawal without seeing it would silently undo it."""
    # One household at a time: two people recording consent at once are serialised here.
    Household.objects.select_for_update().filter(pk=household.pk).first()
    current = household.consents.order_by("-date", "-created_at", "-pk").first()
    if (current.pk if current else None) != based_on:
        raise EditConflictError(current)
    consent.household = household
    consent.group_id = household.group_id
    consent.recorded_by = author
    consent.full_clean()
    consent.save()
    log_access(user=author, household=household, action=Action.CONSENT, fields=log_fields.CONSENT_FIELDS)
    return consent
