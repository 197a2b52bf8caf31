"""Erasure (art. 17), postponing, and the family's own copy (art. 15)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from households.models import AccessLogEntry, Household, Person
from households.services import close_household, log_access
from privacy.anonymisation import erase_household
from reports.figures import Period, build_report
from tests.helpers import make_visit
from visits.models import FollowUp, Signal


def _url(name, world, household=None):
    return reverse(name, kwargs={"slug": "brugge", "pk": (household or world.household_a).pk})


def _report(group, year):
    return build_report(
        households=group.households.all(),
        visits=group.visits.all(),
        signals=group.signals.all(),
        period=Period.year(year),
    )


def test_erasure_needs_the_name_and_open_follow_ups_done(world, as_user):
    client = as_user(world.coordinator_a)
    wrong = client.post(
        _url("privacy:erase", world), {"confirm_name": "Familie Peters", "reason": "family_request"}
    )
    assert wrong.status_code == 200
    assert "Typ de naam van het gezin precies" in wrong.content.decode()
    blocked = client.post(
        _url("privacy:erase", world), {"confirm_name": "familie peeters", "reason": "family_request"}
    )
    assert "open actiepunt" in blocked.content.decode()
    assert Household.objects.get(pk=world.household_a.pk).anonymised_at is None

    FollowUp.objects.filter(pk=world.follow_up_a.pk).update(done_at=timezone.now())
    done = client.post(
        _url("privacy:erase", world), {"confirm_name": "Familie Peeters", "reason": "family_request"}
    )
    assert done.status_code == 302
    household = Household.objects.get(pk=world.household_a.pk)
    assert household.is_anonymised and "Peeters" not in household.display_name
    assert Person.objects.get(pk=world.person_a.pk).first_name != "Mieke"
    entry = AccessLogEntry.objects.get(household=household, action="erase")
    assert entry.user == world.coordinator_a and entry.fields == ["reden:family_request"]
    # Sent twice: nothing more happens, a clear message.
    again = client.post(
        _url("privacy:erase", world),
        {"confirm_name": "Familie Peeters", "reason": "family_request"},
        follow=True,
    )
    assert "Dit was al opgeslagen" in again.content.decode()
    assert AccessLogEntry.objects.filter(action="erase").count() == 1
    # Sent again later, when the receipt no longer answers: refused with a message, not redone.
    from writes.models import SubmissionReceipt

    SubmissionReceipt.objects.all().delete()
    later = client.post(
        _url("privacy:erase", world), {"confirm_name": "Familie Peeters", "reason": "family_request"}
    )
    assert later.status_code in (200, 403)
    assert AccessLogEntry.objects.filter(action="erase").count() == 1
    # The other group's family is untouched.
    assert Household.objects.get(pk=world.household_b.pk).display_name == "Familie Janssens"


def test_the_access_log_about_an_erased_household_keeps_who_and_when_but_no_name(world, as_user):
    log_access(user=world.volunteer_a, household=world.household_a, action="view")
    FollowUp.objects.filter(pk=world.follow_up_a.pk).update(done_at=timezone.now())
    erase_household(
        household=world.household_a,
        author=world.coordinator_a,
        confirm_name="Familie Peeters",
        reason="not_needed",
    )
    page = as_user(world.coordinator_a).get(reverse("households:access_log", kwargs={"slug": "brugge"}))
    body = page.content.decode()
    assert "Peeters" not in body and "Mieke" not in body
    assert "Arne Vrijwilliger" in body  # who looked stays
    # The log itself stores ids and field names, never a name or a text.
    for fields in AccessLogEntry.objects.values_list("fields", flat=True):
        assert not any("Peeters" in f or "Mieke" in f for f in fields)


def test_figures_of_past_years_are_the_same_before_and_after_anonymising(world):
    for year, kind in [(2023, "home"), (2024, "phone"), (2024, "home")]:
        make_visit(
            world.household_a,
            world.volunteer_a,
            world.coordinator_a,
            date=dt.date(year, 5, 1),
            kind=kind,
            duration_minutes=45,
            topics=["housing"],
            support=["food"],
            summary="Over Mieke",
        )
    Person.objects.create(
        group=world.group_a, household=world.household_a, first_name="Kind", birth_year=2016, role="child"
    )
    Signal.objects.create(
        group=world.group_a,
        household=world.household_a,
        institution="school",
        theme="education",
        description="Mieke",
        noticed_on=dt.date(2024, 3, 1),
        created_by=world.volunteer_a,
    )
    close_household(
        household=world.household_a,
        author=world.coordinator_a,
        closed_on=dt.date(2024, 6, 1),
        reason="moved",
        note="",
    )
    before = {year: _report(world.group_a, year) for year in (2023, 2024)}
    FollowUp.objects.filter(pk=world.follow_up_a.pk).update(done_at=timezone.now())
    erase_household(
        household=world.household_a,
        author=world.coordinator_a,
        confirm_name="Familie Peeters",
        reason="family_request",
    )
    after = {year: _report(world.group_a, year) for year in (2023, 2024)}
    assert before == after
    assert (
        before[2024].contacts == 2
        and before[2024].children_reached == 1
        and before[2024].closed_families == 1
    )


def test_postponing_works_once_with_a_reason(world, as_user):
    close_household(
        household=world.household_a,
        author=world.coordinator_a,
        closed_on=dt.date(2025, 1, 10),
        reason="moved",
        note="",
    )
    client = as_user(world.coordinator_a)
    detail = client.get(world.household_a.get_absolute_url()).content.decode()
    assert "Wordt geanonimiseerd op 10 januari 2027" in detail
    empty = client.post(_url("privacy:postpone", world), {"months": "6", "reason": ""})
    assert (
        empty.status_code == 200
        and Household.objects.get(pk=world.household_a.pk).retention_postponed_until is None
    )
    ok = client.post(_url("privacy:postpone", world), {"months": "6", "reason": "Lopende schuldbemiddeling"})
    assert ok.status_code == 302
    assert Household.objects.get(pk=world.household_a.pk).retention_postponed_until == dt.date(2027, 7, 10)
    twice = client.post(_url("privacy:postpone", world), {"months": "12", "reason": "Nog eens"})
    assert "al eens uitgesteld" in twice.content.decode()
    assert Household.objects.get(pk=world.household_a.pk).retention_postponed_until == dt.date(2027, 7, 10)
    assert AccessLogEntry.objects.filter(action="postpone").count() == 1


def test_postponing_an_open_household_is_refused(world, as_user):
    response = as_user(world.coordinator_a).post(
        _url("privacy:postpone", world), {"months": "6", "reason": "x"}
    )
    assert "Alleen een afgesloten gezin" in response.content.decode()


def test_the_familys_copy_has_everything_and_nothing_of_another_household(
    world, as_user, django_assert_max_num_queries
):
    other = Household.objects.create(group=world.group_a, display_name="Familie Buur", phone="0499 99 99 99")
    make_visit(other, world.volunteer_a, summary="Verslag van de buren", confidential_note="Geheim buur")
    FollowUp.objects.create(
        group=world.group_a,
        household=other,
        description="Buren bellen",
        due_date="2026-02-01",
        assignee=world.volunteer_a,
        created_by=world.volunteer_a,
    )
    log_access(user=world.volunteer_a, household=world.household_a, action="view")
    client = as_user(world.coordinator_a)
    page = client.get(_url("privacy:copy", world)).content.decode()
    for expected in [
        "Familie Peeters",
        "Kerkstraat",
        "Mieke",
        "Gesprek over de huur.",
        "Brief OCMW nalezen",
        "Leefloon te laat uitbetaald.",
        "Arne Vrijwilliger",
        "Geheim A",
        "Praatcafé Brugge",  # the activity Mieke attended (tests/helpers.py)
    ]:
        assert expected in page, expected
    for foreign in [
        "Familie Buur",
        "Verslag van de buren",
        "Geheim buur",
        "Buren bellen",
        "Familie Janssens",
        "Geheim B",
    ]:
        assert foreign not in page, foreign
    download = client.get(_url("privacy:copy_download", world))
    text = download.content.decode()
    assert download["Content-Disposition"].startswith("attachment")
    assert "Mieke" in text and "Gesprek over de huur." in text and "Brief OCMW nalezen" in text
    assert "Praatcafé Brugge" in text
    assert "Geheim A" not in text  # confidential notes are reviewed, never handed over as they are
    assert "Familie Buur" not in text and "Geheim buur" not in text
    assert AccessLogEntry.objects.filter(household=world.household_a, action="subject_access").count() == 2
    # A fixed number of queries (one per section of privacy.subject_access), whatever it holds.
    for _ in range(5):
        make_visit(world.household_a, world.volunteer_a, world.coordinator_a, summary="x")
    with django_assert_max_num_queries(21):
        client.get(_url("privacy:copy", world))
