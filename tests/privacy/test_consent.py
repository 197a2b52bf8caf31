"""Consent that is current: review on the dashboard; withdrawn consent makes the household read-only."""

import datetime as dt

import time_machine
from django.urls import reverse

from households.models import Consent, Household
from tests.helpers import make_visit

TZ = dt.UTC


def _consent(world, household, on, status="given"):
    return Consent.objects.create(
        group=household.group, household=household, date=on, status=status, recorded_by=world.coordinator_a
    )


def test_old_missing_and_withdrawn_consent_appear_on_the_coordinators_dashboard(
    world, as_user, django_assert_max_num_queries
):
    world.group_a.consent_review_months = 12
    world.group_a.save()
    fresh = Household.objects.create(group=world.group_a, display_name="Familie Vers")
    _consent(world, fresh, dt.date(2026, 1, 1))
    _consent(world, world.household_a, dt.date(2024, 12, 1))
    never = Household.objects.create(group=world.group_a, display_name="Familie Nooit")
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=TZ), tick=False):
        page = as_user(world.coordinator_a).get(reverse("reports:home", kwargs={"slug": "brugge"}))
    section = page.content.decode().split('id="consent-review-heading"')[1].split("</section>")[0]
    assert "Familie Peeters" in section and "Familie Nooit" in section
    assert "Familie Vers" not in section and "Familie Janssens" not in section
    assert page.context["consent_review_count"] == 2
    assert never.pk in [h.pk for h in page.context["consent_review"]]


def test_withdrawn_consent_makes_the_household_read_only_except_close_erase_copy_and_consent(world, as_user):
    _consent(world, world.household_a, dt.date(2026, 1, 1), status="withdrawn")
    volunteer = as_user(world.volunteer_a)
    slug, pk = "brugge", world.household_a.pk
    detail = volunteer.get(reverse("households:detail", kwargs={"slug": slug, "pk": pk})).content.decode()
    assert "Alleen-lezen: de toestemming is ingetrokken." in detail
    refused = volunteer.get(reverse("households:edit", kwargs={"slug": slug, "pk": pk}))
    assert refused.status_code == 403
    assert "toestemming ingetrokken" in refused.content.decode()
    assert volunteer.post(reverse("visits:create", kwargs={"slug": slug, "pk": pk}), {}).status_code == 403
    assert (
        volunteer.get(reverse("visits:edit", kwargs={"slug": slug, "pk": world.visit_a.pk})).status_code
        == 403
    )
    coordinator = as_user(world.coordinator_a)
    assert coordinator.get(reverse("households:close", kwargs={"slug": slug, "pk": pk})).status_code == 200
    assert coordinator.get(reverse("privacy:copy", kwargs={"slug": slug, "pk": pk})).status_code == 200
    assert coordinator.get(reverse("privacy:erase", kwargs={"slug": slug, "pk": pk})).status_code == 200
    renewed = volunteer.post(
        reverse("households:consent_add", kwargs={"slug": slug, "pk": pk}),
        {
            "consent-status": "given",
            "consent-date": "2026-02-01",
            "consent-method": "oral",
            "consent-purpose": "x",
            # The withdrawal this form was shown over (see households.services.record_consent).
            "consent-based_on": str(world.household_a.consents.order_by("-pk").first().pk),
        },
    )
    assert renewed.status_code == 302
    assert volunteer.get(reverse("households:edit", kwargs={"slug": slug, "pk": pk})).status_code == 200


def test_an_anonymised_household_takes_no_new_data(world, as_user):
    from django.utils import timezone

    Household.objects.filter(pk=world.household_a.pk).update(anonymised_at=timezone.now())
    client = as_user(world.coordinator_a)
    for name in ("households:edit", "visits:follow_up_add", "visits:signal_add"):
        assert (
            client.get(reverse(name, kwargs={"slug": "brugge", "pk": world.household_a.pk})).status_code
            == 403
        )
    make_visit(world.household_b, world.volunteer_b)  # the other group is not affected
