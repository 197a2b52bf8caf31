"""visits.services: all or nothing, and idempotent on the submission id."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from households.models import AccessLogEntry
from visits import services
from visits.models import FollowUp, Signal, Visit


def new_visit(**fields) -> Visit:
    return Visit(**{"date": timezone.localdate(), "kind": "home", "summary": "Goed gesprek.", **fields})


def test_record_visit_saves_everything_together(world):
    follow_up = FollowUp(description="Bellen", due_date=timezone.localdate(), assignee=world.coordinator_a)
    signal = Signal(institution="school", theme="education", description="Geen plaats in de opvang.")
    visit, created = services.record_visit(
        household=world.household_a,
        author=world.volunteer_a,
        visit=new_visit(),
        submission_id=uuid.uuid4(),
        volunteers=[world.volunteer_a, world.coordinator_a],
        follow_ups=[follow_up],
        signals=[signal],
    )
    assert created
    assert visit.follow_ups.get() == follow_up and follow_up.group == world.group_a
    assert visit.signals.get() == signal and signal.noticed_on == visit.date
    assert visit.visit_volunteers.count() == 2
    assert AccessLogEntry.objects.filter(action="visit_add", visit_id=visit.pk).count() == 1


def test_record_visit_writes_nothing_when_one_part_is_invalid(world):
    before = (Visit.objects.count(), FollowUp.objects.count(), AccessLogEntry.objects.count())
    bad_follow_up = FollowUp(description="", due_date=timezone.localdate(), assignee=world.coordinator_a)
    with pytest.raises(ValidationError):
        services.record_visit(
            household=world.household_a,
            author=world.volunteer_a,
            visit=new_visit(),
            submission_id=uuid.uuid4(),
            volunteers=[world.volunteer_a],
            follow_ups=[bad_follow_up],
        )
    assert (Visit.objects.count(), FollowUp.objects.count(), AccessLogEntry.objects.count()) == before


def test_record_visit_is_idempotent_on_the_submission_id(world):
    submission_id = uuid.uuid4()
    kwargs = {
        "household": world.household_a,
        "author": world.volunteer_a,
        "submission_id": submission_id,
        "volunteers": [world.volunteer_a],
    }
    first, created_first = services.record_visit(visit=new_visit(), **kwargs)
    second, created_second = services.record_visit(visit=new_visit(summary="Nog eens"), **kwargs)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Visit.objects.filter(submission_id=submission_id).count() == 1


def test_a_zero_duration_is_refused_by_the_model_too(world):
    visit = new_visit()
    visit.duration_minutes = 0
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            household=world.household_a,
            author=world.volunteer_a,
            visit=visit,
            submission_id=uuid.uuid4(),
            volunteers=[world.volunteer_a],
        )
    assert "duration_minutes" in error.value.message_dict


def test_may_be_changed_by_follows_the_design(world):
    author = world.group_a.memberships.get(user=world.volunteer_a)
    other = world.group_a.memberships.get(user=world.volunteer_a_and_a2)
    coordinator = world.group_a.memberships.get(user=world.coordinator_a)
    assert world.visit_a.may_be_changed_by(author)
    assert not world.visit_a.may_be_changed_by(other)
    assert world.visit_a.may_be_changed_by(coordinator)
    assert world.visit_a.confidential_note_visible_to(author)
    assert not world.visit_a.confidential_note_visible_to(other)
    assert world.visit_a.confidential_note_visible_to(coordinator)
