"""Activity and decree figures against a hand count; the export carries them with definitions;
staff see them with small cells suppressed."""

import csv
import io
from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone

from activities.models import ActivitySignal, Attendance, BoardSeat
from households.models import Household, Person
from tests.helpers import attend, make_activity, make_visit

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
# Staff periods are whole calendar periods (reports.forms.StaffPeriodForm).
STAFF_YEAR = {"year": "2025", "part": "y"}


def at(day: str):
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(day).date(), time(19)))


def build_year(world):
    """Group A in 2025, counted by hand:
    - Peeters (old family, visited in 2025): Mieke at the praatcafé twice, helped once.
    - Maes (new in 2025, never visited): Anna at the praatcafé and the training, Bert at the dialogue,
      where he took the floor.
    - Claes (visited in 2025, no activity): Lies joined the board (kerngroep) on 1 November 2025.
    - Mieke sat on the board until 31 January 2025 (counted once: she also helped); Anna's seat
      ended in 2024; an activity of 2024 and one of group B do not count.
    """
    g = world.group_a
    Household.objects.filter(pk=world.household_a.pk).update(created_at=at("2020-01-01"))
    maes = Household.objects.create(group=g, display_name="Familie Maes")
    Household.objects.filter(pk=maes.pk).update(created_at=at("2025-03-01"))
    anna = Person.objects.create(group=g, household=maes, first_name="Anna")
    bert = Person.objects.create(group=g, household=maes, first_name="Bert")
    claes = Household.objects.create(group=g, display_name="Familie Claes")
    Household.objects.filter(pk=claes.pk).update(created_at=at("2019-01-01"))
    Household.objects.filter(pk=world.household_b.pk).update(created_at=at("2019-01-01"))
    world.visit_a.date = "2025-04-01"
    world.visit_a.save()
    make_visit(claes, world.volunteer_a, date="2025-05-01")
    cafe1 = make_activity(g, world.coordinator_a, starts_at=at("2025-02-03"), unregistered_count=4)
    cafe2 = make_activity(g, world.coordinator_a, starts_at=at("2025-02-10"), unregistered_count=2)
    training = make_activity(g, world.coordinator_a, kind="training", starts_at=at("2025-06-01"))
    dialogue = make_activity(g, world.coordinator_a, kind="dialogue", starts_at=at("2025-09-01"))
    old = make_activity(g, world.coordinator_a, starts_at=at("2024-12-30"), unregistered_count=9)
    b = make_activity(world.group_b, world.coordinator_b, starts_at=at("2025-02-03"), unregistered_count=7)
    person_b = world.household_b.persons.get()
    Attendance.objects.filter(activity=world.activity_a).delete()  # the fixture's: not in 2025
    for activity, person, helped in [
        (cafe1, world.person_a, True),
        (cafe2, world.person_a, False),
        (cafe1, anna, False),
        (training, anna, False),
        (dialogue, bert, False),
        (old, anna, True),
        (b, person_b, True),
    ]:
        attend(activity, person, helped_organise=helped, spoke=activity == dialogue)
    lies = Person.objects.create(group=g, household=claes, first_name="Lies")
    for person, start, end in [
        (world.person_a, "2024-01-01", "2025-01-31"),
        (lies, "2025-11-01", None),
        (anna, "2023-01-01", "2024-12-31"),
    ]:
        BoardSeat.objects.create(
            group=g,
            person=person,
            household_id=person.household_id,
            started_on=start,
            ended_on=end,
            created_by=world.coordinator_a,
        )
    world.signal_a.noticed_on = "2025-08-01"
    world.signal_a.save()
    ActivitySignal.objects.create(group=g, activity=dialogue, signal=world.signal_a)


EXPECTED = {
    "groepsactiviteiten": 4,
    "aanwezigheden van gezinsleden": 5,
    "andere aanwezigen (niet geregistreerd)": 6,
    "verschillende gezinsleden aanwezig": 3,
    "gezinnen bereikt met activiteiten": 2,
    "gezinnen alleen via activiteiten bereikt": 1,
    "gezinnen bereikt met contacten én activiteiten": 1,
    "deelnemers die mee organiseerden": 1,
    "deelnemers die het woord namen": 1,
    "1. blijven bereiken: nieuwe gezinnen": 1,
    "1. blijven bereiken: hoe vaak de nieuwe gezinnen deelnamen": 3,
    "2. samenbrengen: mensen in armoede samengebracht": 3,
    "3. het woord geven: mensen die een rol opnamen": 3,
    "3. het woord geven: gezinsleden in de kerngroep": 2,
    "4. emancipatie: vormings- en infoactiviteiten": 1,
    "4. emancipatie: deelnemers aan vorming": 1,
    "5. werken aan structuren: signalen": 1,
    "5. werken aan structuren: signalen opgenomen in een actie of overleg": 1,
    "5. werken aan structuren: acties": 0,
    "6. dialoog: overleg met instellingen": 1,
    "6. dialoog: mensen in armoede op een overleg": 1,
}


def test_the_yearly_report_matches_a_hand_count(world, as_user):
    build_year(world)
    response = as_user(world.coordinator_a).get(reverse("reports:report", kwargs={"slug": "brugge"}), YEAR)
    assert {label: value for _s, label, value, _d in response.context["activity_rows"]} == EXPECTED
    kinds = dict(response.context["activity_kinds"])
    assert (kinds["ontmoetingsmoment / praatcafé"], kinds["vorming"], kinds["actie"]) == (2, 1, 0)


def test_the_csv_export_carries_the_figures_and_their_definitions(world, as_user):
    build_year(world)
    url = reverse("reports:report_export", kwargs={"slug": "brugge", "fmt": "csv"})
    rows = list(
        csv.reader(
            io.StringIO(as_user(world.coordinator_a).get(url, YEAR).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    values = {
        row[1]: row[2]
        for row in rows
        if row[0] in ("Groepsactiviteiten", "Decreet armoedebestrijding: zes criteria")
    }
    assert values == {label: str(n) for label, n in EXPECTED.items()}
    definitions = {row[1]: row[2] for row in rows if row[0] == "Definitie"}
    assert definitions.keys() == EXPECTED.keys()
    assert "elk één keer geteld" in definitions["verschillende gezinsleden aanwezig"]


def test_staff_see_the_figures_over_all_groups_with_small_cells_suppressed(world, superuser_client):
    build_year(world)
    response = superuser_client.get(reverse("staff:national"), STAFF_YEAR)
    shown = {label: value for _s, label, value, _d in response.context["activity_rows"]}
    # Group B adds one activity, one attendance, one family, one co-organiser and 7 heads.
    assert shown["groepsactiviteiten"] == 5
    assert shown["aanwezigheden van gezinsleden"] == 6
    assert shown["andere aanwezigen (niet geregistreerd)"] == 13
    assert shown["verschillende gezinsleden aanwezig"] == "×"
    assert shown["deelnemers die mee organiseerden"] == "×"
    assert shown["5. werken aan structuren: acties"] == 0
    body = response.content.decode()
    assert "Anna" not in body and "Familie Maes" not in body


def test_regional_staff_see_only_their_regions_activity_figures(world, as_user):
    build_year(world)
    world.region_b.staff.add(world.outsider)
    url = reverse("staff:region", kwargs={"region": world.region_b.slug})
    response = as_user(world.outsider).get(url, STAFF_YEAR)
    shown = {label: value for _s, label, value, _d in response.context["activity_rows"]}
    # Region B holds only group B: one activity, one attendance, 7 heads; group A's are not in it.
    assert shown["groepsactiviteiten"] == "×"
    assert shown["andere aanwezigen (niet geregistreerd)"] == 7
    assert shown["6. dialoog: overleg met instellingen"] == 0
