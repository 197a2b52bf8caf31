"""Retention through the real worker path: enqueue, run the worker, check (frozen clock)."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from households.models import AccessLogEntry, Consent, Household, Person
from households.services import close_household, log_access
from privacy.anonymisation import anonymise_if_due
from privacy.tasks import anonymise_due_households, expire_confidential_notes, purge_access_log
from tests.helpers import make_visit
from tests.privacy.helpers import run_worker
from visits.models import FollowUp, Signal, Visit

pytestmark = pytest.mark.django_db(transaction=True)
TZ = dt.UTC


def _close(world, household, on):
    close_household(
        household=household, author=world.coordinator_a, closed_on=on, reason="moved", note="Naar Gent"
    )


def test_a_household_is_anonymised_after_the_retention_period_by_the_worker(world):
    h = world.household_a
    h.phone, h.email = "0470 12 34 56", "peeters@example.org"
    h.save()
    Person.objects.filter(pk=world.person_a.pk).update(birth_year=1983)
    Consent.objects.create(
        group=h.group, household=h, recorded_by=world.coordinator_a, purpose="Mieke tekende"
    )
    _close(world, h, dt.date(2024, 1, 15))
    with time_machine.travel(dt.datetime(2026, 1, 14, 12, tzinfo=TZ), tick=False):
        anonymise_due_households.enqueue()
        run_worker()
    h.refresh_from_db()
    assert h.anonymised_at is None and h.display_name == "Familie Peeters"

    with time_machine.travel(dt.datetime(2026, 1, 15, 12, tzinfo=TZ), tick=False):
        anonymise_due_households.enqueue()
        run_worker()
    h.refresh_from_db()
    assert h.anonymised_at is not None
    assert "Peeters" not in h.display_name
    assert (h.street, h.house_number, h.postcode, h.phone, h.email, h.close_note) == ("", "", "", "", "", "")
    assert h.municipality == "Brugge" and h.needs == ["housing", "income_debt"]
    person = Person.objects.get(pk=world.person_a.pk)
    assert person.first_name != "Mieke" and person.birth_year == 1980  # a five-year age band
    visit = Visit.objects.get(pk=world.visit_a.pk)
    assert visit.summary == visit.confidential_note == ""
    assert visit.date == world.visit_a.date and visit.kind == world.visit_a.kind
    assert FollowUp.objects.get(pk=world.follow_up_a.pk).description == ""
    assert Signal.objects.get(pk=world.signal_a.pk).description == ""
    assert not h.contacts.exists()
    assert Consent.objects.get(household=h).purpose == ""
    result = DBTaskResult.objects.filter(task_path__endswith="anonymise_due_households").latest("enqueued_at")
    assert result.status == "SUCCESSFUL"
    assert AccessLogEntry.objects.filter(household=h, action="anonymise", user=None).count() == 1
    # Nothing of the other group touched.
    assert Household.objects.get(pk=world.household_b.pk).display_name == "Familie Janssens"


def test_a_retention_period_outside_the_allowed_range_is_refused(world):
    from django.core.exceptions import ValidationError

    world.group_a.retention_months = 36
    with pytest.raises(ValidationError) as error:
        world.group_a.full_clean()
    assert "tussen 3 en 24 maanden" in str(error.value)
    world.group_a.retention_months = 12
    world.group_a.full_clean()


def test_a_groups_shorter_period_and_a_postponement_count(world):
    world.group_a.retention_months = 6
    world.group_a.save()
    _close(world, world.household_a, dt.date(2025, 1, 31))
    today = dt.date(2025, 7, 31)
    assert world.household_a.anonymise_on == today
    Household.objects.filter(pk=world.household_a.pk).update(retention_postponed_until=dt.date(2025, 12, 1))
    assert not anonymise_if_due(world.household_a.pk, today=today)
    assert anonymise_if_due(world.household_a.pk, today=dt.date(2025, 12, 1))


def test_running_twice_does_nothing_twice(world):
    _close(world, world.household_a, dt.date(2020, 1, 1))
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=TZ), tick=False):
        anonymise_due_households.enqueue()
        anonymise_due_households.enqueue()
        run_worker()
    assert AccessLogEntry.objects.filter(action="anonymise").count() == 1


def test_a_household_reopened_meanwhile_is_skipped(world):
    _close(world, world.household_a, dt.date(2020, 1, 1))
    Household.objects.filter(pk=world.household_a.pk).update(status="active", closed_on=None)
    assert not anonymise_if_due(world.household_a.pk, today=dt.date(2026, 1, 1))
    assert Household.objects.get(pk=world.household_a.pk).display_name == "Familie Peeters"


def test_a_household_locked_by_another_worker_is_skipped_not_waited_for(world):
    """Two workers side by side: the second skips the row the first holds (SKIP LOCKED)."""
    import threading

    _close(world, world.household_a, dt.date(2020, 1, 1))
    locked, release, results = threading.Event(), threading.Event(), []

    def first_worker():
        from django.db import connections, transaction

        from rls import scope

        with transaction.atomic(), scope.task("test: the other worker"):
            Household.objects.select_for_update().get(pk=world.household_a.pk)
            locked.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=first_worker)
    thread.start()
    locked.wait(10)
    results.append(anonymise_if_due(world.household_a.pk, today=dt.date(2026, 1, 1)))
    release.set()
    thread.join()
    assert results == [False]
    assert anonymise_if_due(world.household_a.pk, today=dt.date(2026, 1, 1))


def test_a_failure_halfway_leaves_the_household_whole(world, monkeypatch):
    """A worker that dies in the middle: one transaction per household, nothing half-anonymised."""
    import privacy.anonymisation as module

    _close(world, world.household_a, dt.date(2020, 1, 1))

    def boom(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(module, "log_access", boom)
    with pytest.raises(RuntimeError):
        anonymise_if_due(world.household_a.pk, today=dt.date(2026, 1, 1))
    assert Person.objects.get(pk=world.person_a.pk).first_name == "Mieke"
    assert Visit.objects.get(pk=world.visit_a.pk).summary == "Gesprek over de huur."
    monkeypatch.undo()
    assert anonymise_if_due(world.household_a.pk, today=dt.date(2026, 1, 1))


def test_confidential_notes_expire_through_the_worker(world):
    keep = make_visit(world.household_a, world.volunteer_a, confidential_note="Blijft")
    Visit.objects.filter(pk=world.visit_a.pk).update(confidential_note_expires_on=dt.date(2026, 3, 1))
    Visit.objects.filter(pk=keep.pk).update(confidential_note_expires_on=dt.date(2026, 9, 1))
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=TZ), tick=False):
        expire_confidential_notes.enqueue()
        run_worker()
    assert Visit.objects.get(pk=world.visit_a.pk).confidential_note == ""
    assert Visit.objects.get(pk=keep.pk).confidential_note == "Blijft"
    assert Visit.objects.get(pk=world.visit_b.pk).confidential_note == "Geheim B"
    assert AccessLogEntry.objects.filter(action="note_expired", visit_id=world.visit_a.pk).count() == 1


def test_the_access_log_is_purged_after_its_lifetime_by_the_worker(world, settings):
    settings.ACCESS_LOG_RETENTION_YEARS = 5
    with time_machine.travel(dt.datetime(2019, 6, 1, tzinfo=TZ), tick=False):
        old = log_access(user=world.coordinator_a, household=world.household_a, action="view")
    recent = log_access(user=world.coordinator_a, household=world.household_a, action="view")
    purge_access_log.enqueue()
    run_worker()
    remaining = set(AccessLogEntry.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and recent.pk in remaining


def test_the_database_refuses_to_purge_young_rows_or_delete_directly(world):
    from django.db import DatabaseError, transaction

    log_access(user=world.coordinator_a, household=world.household_a, action="view")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT welzijn_purge_access_log(now())")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.all().delete()
    # Even with the purge switch set by hand, a young row stays.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('welzijn.accesslog_purge', 'on', true)")
        cursor.execute("DELETE FROM households_accesslogentry")


def test_the_enqueue_command_queues_every_daily_job(world):
    call_command("enqueue_lifecycle_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {p.rsplit(".", 1)[1] for p in paths} == {
        "anonymise_due_households",
        "expire_confidential_notes",
        "purge_access_log",
    }


def test_the_author_gives_a_note_a_lifetime_and_the_visit_shows_when_it_goes(world, as_user):
    import uuid

    from django.urls import reverse

    world.group_a.note_lifetime_months = 12
    world.group_a.save()
    client = as_user(world.volunteer_a)
    data: dict[str, Any] = {
        "date": "2026-01-05",
        "kind": "home",
        "volunteers": [world.volunteer_a.pk],
        "confidential_note": "Ruzie met de buren",
        "note_lifetime": "3",
        "submission_id": str(uuid.uuid4()),
        "followup-TOTAL_FORMS": "0",
        "followup-INITIAL_FORMS": "0",
        "signal-TOTAL_FORMS": "0",
        "signal-INITIAL_FORMS": "0",
    }
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=TZ), tick=False):
        response = client.post(
            reverse("visits:create", kwargs={"slug": "brugge", "pk": world.household_a.pk}), data
        )
        assert response.status_code == 302
        visit = Visit.objects.get(submission_id=data["submission_id"])
        assert visit.confidential_note_expires_on == dt.date(2026, 4, 5)
        page = client.get(
            reverse("visits:detail", kwargs={"slug": "brugge", "pk": visit.pk})
        ).content.decode()
        assert "Verdwijnt op 5 april 2026" in page
        # Without a choice: the group's default.
        data |= {"note_lifetime": "", "submission_id": str(uuid.uuid4())}
        client.post(reverse("visits:create", kwargs={"slug": "brugge", "pk": world.household_a.pk}), data)
        assert Visit.objects.get(submission_id=data["submission_id"]).confidential_note_expires_on == dt.date(
            2027, 1, 5
        )
    with time_machine.travel(dt.datetime(2026, 4, 5, 6, tzinfo=TZ), tick=False):
        expire_confidential_notes.enqueue()
        run_worker()
    assert Visit.objects.get(pk=visit.pk).confidential_note == ""
    assert Visit.objects.get(submission_id=data["submission_id"]).confidential_note == "Ruzie met de buren"
