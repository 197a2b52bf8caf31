"""Sending the same thing twice saves it once: every URL of the project that takes a POST is
posted twice with the same body, and the database must look exactly as after the first.

The cases live in tests/isolation.py (`POST_CASES`). `test_every_url_that_takes_a_post_has_a_case`
posts to every URL of the project and fails on one that answers anything but 405 without a case,
so a new form cannot skip this."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.browserless import form_data
from tests.helpers import client_for, rows_of
from tests.isolation import GROUP_URLS, OTHER_URLS, POST_CASES, POST_WITHOUT_CASE, PostCase
from tests.test_url_isolation import THIRD_PARTY_PREFIXES, project_urls
from visits.models import FollowUp, Signal, Visit
from writes.models import SubmissionReceipt

# Bookkeeping, not data: the receipts themselves, and sessions (logging in and out).
NOT_COMPARED = {"writes.submissionreceipt", "sessions.session"}


def snapshot() -> dict[str, list[str]]:
    """Every row of every table (but the bookkeeping ones), many-to-many tables included, by
    model: in one query."""
    return rows_of(
        [
            (model, "", [])
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label_lower not in NOT_COMPARED and model._meta.managed
        ]
    )


def _user(world, who: str):
    return {"member": world.volunteer_a, "coordinator": world.coordinator_a, "anonymous": None}[who]


def _url(name: str, kwargs: dict) -> str:
    if name in GROUP_URLS:
        return reverse(name, kwargs={"slug": "brugge", **kwargs})
    return reverse(name, kwargs=kwargs or None)


def _diff(before: dict, after: dict) -> list[str]:
    return [label for label in after if before.get(label) != after[label]]


@pytest.mark.parametrize(("name", "case"), sorted(POST_CASES.items()), ids=sorted(POST_CASES))
def test_the_same_post_twice_saves_once(world, name: str, case: PostCase):
    if case.setup is not None:
        case.setup(world)
    client = client_for(_user(world, case.who))
    kwargs = case.kwargs(world)
    url = _url(name, kwargs)
    body = case.body(client, world, kwargs)
    before = snapshot()
    first = client.post(url, body)
    assert first.status_code in (200, 204, 302), first.status_code
    once = snapshot()
    if case.writes:
        assert _diff(before, once), f"the first POST to {name} wrote nothing: check its case"
    second = client.post(url, body)
    assert second.status_code < 500
    twice = snapshot()
    assert twice == once, f"posting {name} twice changed {_diff(once, twice)}"


def _probe_user(world, name: str):
    if name in GROUP_URLS:
        return world.coordinator_a if GROUP_URLS[name].who == "coordinator" else world.volunteer_a
    # Staff pages check the role first: probe them as staff.
    world.coordinator_a.is_staff = True
    world.coordinator_a.save(update_fields=["is_staff"])
    return world.coordinator_a


PROBE_KWARGS = {
    "invitation_accept": {"token": "onbekend"},
    "staff:region": {"region": "west-vlaanderen"},
    "staff:signals_export": {"fmt": "csv"},
}


def test_every_url_that_takes_a_post_has_a_case(world):
    # A URL with a case is covered whatever it answers: only the others need asking.
    takes_post: list[str] = []
    clients: dict[int, Client] = {}
    for name in [n for n in [*GROUP_URLS, *OTHER_URLS] if n not in POST_CASES]:
        kwargs = GROUP_URLS[name].kwargs(world) if name in GROUP_URLS else PROBE_KWARGS.get(name, {})
        user = _probe_user(world, name)
        client = clients.get(user.pk) or clients.setdefault(user.pk, client_for(user))
        with transaction.atomic():
            response = client.post(_url(name, kwargs))
            transaction.set_rollback(True)
        if response.status_code != 405:
            takes_post.append(name)
    missing = sorted(takes_post)
    assert not missing, f"these URLs take a POST: add a PostCase to tests/isolation.py: {missing}"
    third_party = {name for route, name in project_urls() if route.startswith(THIRD_PARTY_PREFIXES)}
    third_party -= {name for route, name in project_urls() if route.startswith("admin/")}
    unexplained = sorted(third_party - POST_CASES.keys() - POST_WITHOUT_CASE.keys(), key=str)
    assert not unexplained, f"add a PostCase or a reason in POST_WITHOUT_CASE: {unexplained}"
    stale = sorted(POST_CASES.keys() - {name for route, name in project_urls()})
    assert not stale, f"POST_CASES names URLs that do not exist: {stale}"


# --- Back, then save again; repeats that are meant ---------------------------------------


def _g(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"slug": "brugge", **kwargs})


VISIT = {"summary": "Samen de huurbrief gelezen.", "duration_minutes": "30"}
ITEMS = {
    "followup-0-description": "Bellen naar de huisbaas",
    "followup-0-due_date": "2026-01-20",
    "signal-0-institution": "housing",
    "signal-0-theme": "housing",
    "signal-0-description": "Herstelling al drie maanden beloofd.",
}


def test_back_after_saving_a_visit_then_saving_again_keeps_one_visit(world, as_user):
    """Without the back/forward cache, Back reloads the form: a new submission id, the same
    fields filled in again. The content decides: one visit."""
    client = as_user(world.volunteer_a)
    url = _g("visits:create", pk=world.household_a.pk)
    first = form_data(client, url)
    assert client.post(url, {**first, **VISIT}).status_code == 302
    again = form_data(client, url)  # Back: the page is loaded anew …
    assert again["submission_id"] != first["submission_id"]
    response = client.post(url, {**again, **VISIT}, follow=True)  # … and saved again
    assert "Dit was al opgeslagen." in response.content.decode()
    assert Visit.objects.filter(household=world.household_a, summary=VISIT["summary"]).count() == 1


def test_back_after_editing_a_visit_with_a_follow_up_and_a_signal_adds_them_once(world, as_user):
    client = as_user(world.volunteer_a)
    url = _g("visits:edit", pk=world.visit_a.pk)
    follow_ups, signals = FollowUp.objects.count(), Signal.objects.count()
    assert client.post(url, {**form_data(client, url), **ITEMS}).status_code == 302
    # Back reloads the edit form: a new version and new hidden initial values.
    assert client.post(url, {**form_data(client, url), **ITEMS}).status_code == 302
    assert FollowUp.objects.count() == follow_ups + 1
    assert Signal.objects.count() == signals + 1


def _done(client, world, done: str):
    return client.post(_g("visits:follow_up_done", pk=world.follow_up_a.pk), {"done": done})


def test_done_undo_done_ticks_the_follow_up_off_again(world, as_user):
    client = as_user(world.volunteer_a)
    for state in ("1", "0", "1"):
        assert _done(client, world, state).status_code == 302
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.is_done


def test_someone_elses_undo_in_between_is_not_answered_from_the_receipt(world, as_user):
    volunteer, coordinator = as_user(world.volunteer_a), as_user(world.coordinator_a)
    _done(volunteer, world, "1")
    _done(coordinator, world, "0")
    _done(volunteer, world, "1")  # the same body as the volunteer's first: meant again
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.is_done and world.follow_up_a.done_by == world.volunteer_a


def test_done_twice_by_two_people_keeps_the_first(world, as_user):
    _done(as_user(world.volunteer_a), world, "1")
    response = _done(as_user(world.coordinator_a), world, "1")
    assert response.status_code == 302
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.done_by == world.volunteer_a


def test_close_reopen_close_closes_again(world, as_user):
    client = as_user(world.coordinator_a)
    close = _g("households:close", pk=world.household_a.pk)
    body = {**form_data(client, close), "close_reason": "moved"}
    client.post(close, body)
    client.post(_g("households:reopen", pk=world.household_a.pk))
    client.post(close, body)
    world.household_a.refresh_from_db()
    assert world.household_a.is_closed


def test_the_same_content_after_the_window_is_saved_again(world, as_user):
    client = as_user(world.volunteer_a)
    url = _g("visits:create", pk=world.household_a.pk)
    client.post(url, {**form_data(client, url), **VISIT})
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        client.post(url, {**form_data(client, url), **VISIT})
    assert Visit.objects.filter(household=world.household_a, summary=VISIT["summary"]).count() == 2


def test_a_form_sent_back_with_errors_leaves_no_receipt(world, as_user):
    client = as_user(world.volunteer_a)
    url = _g("visits:signal_add", pk=world.household_a.pk)
    body = {**form_data(client, url), "institution": "school", "theme": "education", "description": ""}
    assert client.post(url, body).status_code == 200
    assert not SubmissionReceipt.objects.exists()
    body["description"] = "Geen uitleg."
    assert client.post(url, body).status_code == 302
    assert SubmissionReceipt.objects.count() == 1


def test_a_receipt_is_in_the_same_transaction_as_the_write(world, as_user, monkeypatch):
    from visits import services

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "save_signal", broken)
    client = as_user(world.volunteer_a)
    client.raise_request_exception = False
    url = _g("visits:signal_add", pk=world.household_a.pk)
    body = {**form_data(client, url), "institution": "school", "theme": "education", "description": "x"}
    assert client.post(url, body).status_code == 500
    assert not SubmissionReceipt.objects.exists()


def test_old_receipts_are_pruned(world, as_user):
    client = as_user(world.volunteer_a)
    _done(client, world, "1")
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        call_command("prune_submission_receipts", stdout=StringIO())
    assert SubmissionReceipt.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        call_command("prune_submission_receipts", stdout=StringIO())
    assert not SubmissionReceipt.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_moment_save_once(transactional_db, world):
    """A double tap that reaches two server threads at once: the second waits on the first
    one's receipt, then is answered as a repeat."""
    url = _g("visits:signal_add", pk=world.household_a.pk)
    body = {**form_data(client_for(world.volunteer_a), url), "institution": "school", "theme": "education"}
    body["description"] = "Twee keer tegelijk verstuurd."
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def send() -> None:
        client = client_for(world.volunteer_a)
        barrier.wait()
        statuses.append(client.post(url, body).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert Signal.objects.filter(description=body["description"]).count() == 1


def test_a_post_without_a_valid_csrf_token_is_neither_run_nor_answered(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.volunteer_a)
    url = _g("visits:follow_up_done", pk=world.follow_up_a.pk)
    assert client.post(url, {"done": "1"}).status_code == 403
    assert not SubmissionReceipt.objects.exists()
    world.follow_up_a.refresh_from_db()
    assert not world.follow_up_a.is_done
