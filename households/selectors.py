"""Reusable read queries on households: search, possible duplicates, who needs a visit, who has
no active contact person, the names of a record's users (`attach_names`), a short list's page. Used by the
filters, the reports, the household page and the volunteer's start page."""

from collections.abc import Iterable
from contextlib import suppress
from datetime import timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.utils import timezone

from groups.models import Group
from households.models import Household, HouseholdContact, Person, compact, normalized

MIN_PHONE_DIGITS = 6


def user_name(user_field: str) -> Coalesce:
    """`User.get_full_name()` of the user in `user_field`, in SQL: the full name, else the
    e-mail address."""
    return Coalesce(
        NullIf(f"{user_field}__full_name", Value("")), f"{user_field}__email", output_field=CharField()
    )


def attach_names(objects: Iterable[Any], links: QuerySet, key: str, attr: str) -> list[Any]:
    """`objects` (a page of visits or activities) as a list, each with `attr`: the names of the
    users of the `links` rows (e.g. VisitVolunteer) whose `key` column is the object's pk, in the
    order the rows were added (full name, else e-mail address). One query of plain names, without
    model objects, whatever the number of objects."""
    objects = list(objects)
    rows = links.filter(**{f"{key}__in": [obj.pk for obj in objects]}).order_by("pk")
    names: dict[Any, list[str]] = {}
    for value, name in rows.values_list(key, user_name("user")):
        names.setdefault(value, []).append(name)
    for obj in objects:
        setattr(obj, attr, names.get(obj.pk, []))
    return objects


# The pages of a short list page_of_short_list reads in one query; a number past it goes to get_page.
SHORT_LIST_PAGES = 10_000


def page_of_short_list(queryset: QuerySet, per_page: int, number: int | float | str | None) -> Page:
    """`Paginator(queryset, per_page).get_page(number)` in one query instead of two: the page's
    rows carry the number of rows (`COUNT(*) OVER ()`), so the paginator does not count them in
    a query of its own. For a short list only (one household's visits): PostgreSQL reads every
    row of the list to count it before it hands out the page. `number` is read as get_page reads
    it (what is not a whole number: the first page); a page below 1 or past the last is left to
    get_page itself, which counts first and answers with the last page. So is a page beyond
    SHORT_LIST_PAGES, whose offset might not fit PostgreSQL's bigint (`?visits_page=1e20` from a
    hand-made address)."""
    paginator = Paginator(queryset, per_page)
    wanted = 1  # as Paginator.validate_number takes a number: not a whole number, the first page
    if number is not None and not (isinstance(number, float) and not number.is_integer()):
        with suppress(ValueError, OverflowError):
            wanted = int(number)
    if 1 <= wanted <= SHORT_LIST_PAGES:
        bottom = (wanted - 1) * per_page
        rows = list(queryset.annotate(rows_in_list=Window(Count("*")))[bottom : bottom + per_page])
        if rows or wanted == 1:
            paginator.count = rows[0].rows_in_list if rows else 0  # the cached property, filled in
            return Page(rows, wanted, paginator)
    return paginator.get_page(number)


def phone_digits(text: str) -> str:
    """The digits of a phone number without the country or trunk prefix, so that '0470 12 34 56'
    and '+32 470 12 34 56' compare equal: '470123456'. '' when there are too few digits."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith("0032"):
        digits = digits[4:]
    elif digits.startswith("32") and len(digits) > 9:
        digits = digits[2:]
    digits = digits.lstrip("0")
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def search_households(queryset: QuerySet[Household], text: str) -> QuerySet[Household]:
    """Forgiving search on what people remember, served by trigram indexes on generated columns.

    The family's name: 'celik' finds 'Çelik' (unaccent), 'van de walle' finds 'Vandewalle'
    (spaces and hyphens ignored), 'Peters' finds 'Peeters' (trigram word similarity). Also a
    member's first name ('mieke'), the street ('kerkstr'), the postcode ('8000', exact) and the
    phone number in any notation. Still one query: the first name is an EXISTS on the persons.
    """
    text = text.strip()
    if not any(ch.isalnum() for ch in text):
        return queryset
    key = normalized(Value(text))
    match = (
        Q(search_compact__contains=compact(Value(text)))
        | Q(search_name__trigram_word_similar=key)
        | Q(search_street__contains=key)
        | Q(search_street__trigram_word_similar=key)
        | Q(
            Exists(
                Person.objects.filter(household=OuterRef("pk"), search_first_name__trigram_word_similar=key)
            )
        )
    )
    if text.isdigit() and len(text) == 4:
        match |= Q(postcode=text)
    if digits := phone_digits(text):
        match |= Q(search_phone__contains=digits)
    return queryset.filter(match)


GENERIC_WORDS = {"familie", "fam", "gezin", "het", "de"}


def find_possible_duplicates(group: Group, household: Household, limit: int = 5) -> list[Household]:
    """Households of the group with a similar name or the same address as `household`.

    Words like 'Familie' are left out of the comparison: 'Familie Peters' is close to
    'Familie Peeters', not to 'Familie Janssens'.
    """
    words = [w for w in household.display_name.split() if w.lower().strip(".") not in GENERIC_WORDS]
    core = " ".join(words) or household.display_name
    similar = Q(search_name__trigram_word_similar=normalized(Value(core))) | Q(
        search_compact=compact(Value(household.display_name))
    )
    if household.postcode and household.street and household.house_number:
        similar |= Q(
            postcode=household.postcode,
            street__iexact=household.street.strip(),
            house_number__iexact=household.house_number.strip(),
            box__iexact=household.box.strip(),
        )
    queryset = group.households.filter(similar)
    if household.pk:
        queryset = queryset.exclude(pk=household.pk)
    return list(queryset.order_by("display_name")[:limit])


def needing_a_visit(
    queryset: QuerySet[Household], *, weeks: int, count_activities: bool = False
) -> QuerySet[Household]:
    """Households with no contact in the last `weeks` weeks, or none at all.

    `last_contact` is the date of the last visit or, with `count_activities` (the group's
    setting `activities_count_as_contact`), of the last group activity one of its persons
    attended, whichever is later. Each is one correlated subquery on an index
    (household, date), so a household with years of history costs no more than a new one.
    Visits and attendances are read through the reverse relations: households imports neither app.
    """
    cutoff = timezone.localdate() - timedelta(weeks=weeks)
    visit_model: Any = Household._meta.get_field("visits").related_model
    visits = visit_model.objects.filter(household=OuterRef("pk"))
    last_contact: Subquery | Greatest = Subquery(visits.order_by("-date").values("date")[:1])
    if count_activities:
        attendance_model: Any = Household._meta.get_field("attendances").related_model
        attendances = attendance_model.objects.filter(household=OuterRef("pk"))
        last_activity = Subquery(attendances.order_by("-date").values("date")[:1])
        last_contact = Greatest(last_contact, last_activity)
    return queryset.annotate(last_contact=last_contact).filter(
        Q(last_contact__lt=cutoff) | Q(last_contact__isnull=True)
    )


def without_active_contact(queryset: QuerySet[Household]) -> QuerySet[Household]:
    """Households whose contact persons (if any) are no longer active members of the group."""
    active = HouseholdContact.objects.filter(
        household=OuterRef("pk"),
        user__memberships__group=OuterRef("group"),
        user__memberships__is_active=True,
        user__is_active=True,  # a switched-off account is gone too, as in group_members
    )
    return queryset.filter(~Exists(active))
