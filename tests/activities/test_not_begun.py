"""An activity that has not begun is not treated as if it had: the list and the activity's page
show no attendance and no way to tick it for a day still to come, and the attendance sheet sends
the coordinator back with a sentence saying from when (Activity.takes_attendance). On the day
itself the sheet is open: people are ticked at the door as they come in."""

from datetime import datetime, time

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from households.models import AccessLogEntry
from tests.helpers import make_activity

NOW = "2026-11-30 13:00 +0000"  # 14:00 in Brussels


def at(day: str, hour: int = 19):
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(day).date(), time(hour)))


def _url(name: str, activity) -> str:
    return reverse(f"activities:{name}", kwargs={"slug": "brugge", "pk": activity.pk})


@time_machine.travel(NOW, tick=False)
def test_the_list_shows_no_attendance_for_an_activity_of_a_later_day(world, as_user):
    tonight = make_activity(world.group_a, world.coordinator_a, title="Vanavond", starts_at=at("2026-11-30"))
    next_week = make_activity(
        world.group_a, world.coordinator_a, title="Volgende week", starts_at=at("2026-12-07")
    )
    client = as_user(world.coordinator_a)
    html = client.get(reverse("activities:list", kwargs={"slug": "brugge"})).content.decode()
    card = html[html.index("Volgende week") :]
    card = card[: card.index("</li>")]
    assert "Nog niet begonnen" in card
    assert "aanwezig" not in card and _url("attendance", next_week) not in html
    # Tonight's evening: its sheet is open (ticked at the door), its count not yet shown.
    assert _url("attendance", tonight) in html
    past = client.get(
        reverse("activities:list", kwargs={"slug": "brugge"}), {"when": "past"}
    ).content.decode()
    assert "1 gezinslid aanwezig" in past and _url("attendance", world.activity_a) in past


@time_machine.travel(NOW, tick=False)
def test_the_page_of_an_activity_of_a_later_day_offers_no_attendance(world, as_user):
    next_week = make_activity(world.group_a, world.coordinator_a, starts_at=at("2026-12-07"))
    client = as_user(world.coordinator_a)
    html = client.get(_url("detail", next_week)).content.decode()
    assert _url("attendance", next_week) not in html
    assert "gezinsleden aanwezig" not in html
    assert "nog niet begonnen" in html and "vanaf de dag zelf (7 dec. 2026)" in html
    # Who organises it, in the present tense; nothing yet about who came (the second walk).
    assert "Wie organiseert?" in html and "Wie organiseerde?" not in html
    assert "Vrijwilligers aanwezig" not in html and "Andere aanwezigen" not in html
    done = client.get(_url("detail", world.activity_a)).content.decode()
    assert _url("attendance", world.activity_a) in done and "1 gezinslid aanwezig" in done
    assert "Wie organiseerde?" in done and "Vrijwilligers aanwezig" in done


@time_machine.travel(NOW, tick=False)
def test_the_sheet_of_an_activity_of_a_later_day_sends_back_with_a_sentence_and_saves_nothing(world, as_user):
    next_week = make_activity(world.group_a, world.coordinator_a, starts_at=at("2026-12-07"))
    client = as_user(world.coordinator_a)
    logged = AccessLogEntry.objects.count()
    for method in ("get", "post"):
        data = {"present": [str(world.person_a.pk)], "unregistered_count": "3"} if method == "post" else {}
        response = getattr(client, method)(_url("attendance", next_week), data)
        assert response.status_code == 302 and response["Location"] == next_week.get_absolute_url()
        # The GET's message is still waiting (no page showed it) when the POST adds its own.
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
            "Deze activiteit is nog niet begonnen. Je kunt de aanwezigheid aanduiden vanaf de dag zelf "
            "(7 dec. 2026)."
        )
    assert not Attendance.objects.filter(activity=next_week).exists()
    next_week.refresh_from_db()
    assert next_week.unregistered_count == 0
    assert AccessLogEntry.objects.count() == logged


@time_machine.travel(NOW, tick=False)
def test_the_sheet_opens_on_the_day_itself_before_the_start(world, as_user):
    tonight = make_activity(world.group_a, world.coordinator_a, starts_at=at("2026-11-30"))
    client = as_user(world.coordinator_a)
    assert client.get(_url("attendance", tonight)).status_code == 200
    detail = client.get(_url("detail", tonight)).content.decode()
    assert _url("attendance", tonight) in detail and "als ze binnenkomen" in detail
