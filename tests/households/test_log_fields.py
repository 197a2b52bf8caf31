"""The access log's "Details" column in words a coordinator understands, for every name the code writes."""

from datetime import date, time, timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from activities.models import BoardSeat, local_datetime
from households import log_fields
from households.forms import HouseholdForm, PersonForm
from households.models import AccessLogEntry
from privacy.anonymisation import EraseReason
from tests.helpers import make_activity
from visits.forms import FollowUpForm, SignalForm, VisitForm

Action = AccessLogEntry.Action

# The forms whose changed fields are logged, with the actions that log them.
FORMS: list[tuple[type[forms.BaseForm], tuple[str, ...]]] = [
    (HouseholdForm, ("create", "change")),
    (PersonForm, ("person_add", "person_change")),
    (VisitForm, ("visit_add", "visit_change")),
    (FollowUpForm, ("follow_up",)),
    (SignalForm, ("signal",)),
]
# The fixed lists of fields in log_fields, with the action that writes each.
FIXED = {
    "CLOSE_FIELDS": ("close", "reopen"),
    "CONSENT_FIELDS": ("consent",),
    "FOLLOW_UP_DONE_FIELDS": ("follow_up",),
    "FOLLOW_UP_WITH_VISIT_FIELDS": ("follow_up",),
    "SIGNAL_WITH_VISIT_FIELDS": ("signal",),
    "POSTPONE_FIELDS": ("postpone",),
    "NOTE_EXPIRED_FIELDS": ("note_expired",),
}
REFERENCES = {log_fields.ACTIVITY, log_fields.SEAT, log_fields.RETENTION, log_fields.ERASE_REASON}
KINDS = {log_fields.ATTENDANCE, log_fields.BOARD}


def _in_words(name: str, action: str = "view") -> bool:
    """Whether `name` has words of its own, alone or within a row of some kind."""
    return any(log_fields.word_for(name, action, kind) for kind in (None, *KINDS))


def test_every_field_name_the_code_writes_has_words(subtests):
    written: list[tuple[str, str]] = []
    for form, actions in FORMS:
        fields = form.base_fields  # type: ignore[attr-defined]
        names = [name for name in fields if name not in ("submission_id", "note_lifetime")]
        written += [(name, action) for name in names for action in actions]
    written.append(("confidential_note_expires_on", "visit_change"))  # VisitForm.changed_fields
    for constant, value in vars(log_fields).items():
        if not constant.isupper() or constant == "EXPORT_FORMATS":
            continue
        if isinstance(value, tuple):
            # A new fixed list gets its actions here: a KeyError says so.
            written += [(name, action) for name in value for action in FIXED[constant]]
        elif isinstance(value, str) and value not in REFERENCES:
            written.append((value, ""))
    for report in (log_fields.YEARLY_REPORT, log_fields.SIGNALS_REPORT):
        written += [(f"{report}.{fmt}", "export") for fmt in log_fields.EXPORT_FORMATS]
    written.append((log_fields.period(date(2026, 1, 1), date(2026, 12, 31)), "report_view"))
    for name, action in written:
        with subtests.test(name=name, action=action):
            assert _in_words(name, action or "view")
    for reason, _label in EraseReason.CHOICES:
        with subtests.test(reason=reason):
            entry = AccessLogEntry(group_id=1, action="erase", fields=[f"{log_fields.ERASE_REASON}:{reason}"])
            (words,) = log_fields.describe([entry])[0].field_labels()
            assert reason not in words and words.startswith("reden: ")


def test_a_field_is_named_as_its_own_model_names_it():
    """A signal's or a household's `status` is not a consent's, nor a follow-up's description a
    signal's."""
    assert log_fields.words_for(["status"], "signal") == ["status"]
    assert log_fields.words_for(["status"], "consent") == ["toestemming"]
    assert log_fields.words_for(["status", "closed_on"], "close") == ["status", "afgesloten op"]
    follow_up, signal = (log_fields.words_for(["description"], a) for a in ("follow_up", "signal"))
    assert follow_up != signal


def _log(world, action, fields, household=True):
    return AccessLogEntry.objects.create(
        group=world.group_a,
        household=world.household_a if household else None,
        user=world.coordinator_a,
        action=action,
        fields=fields,
    )


def test_the_access_log_page_names_activities_seats_reasons_and_periods(world, as_user):
    activity = make_activity(
        world.group_a,
        world.coordinator_a,
        title="Soepnamiddag",
        starts_at=local_datetime(date(2026, 12, 3), time(14)),
    )
    seat = BoardSeat.objects.create(
        group=world.group_a,
        person=world.person_a,
        household=world.household_a,
        started_on=date(2026, 1, 5),
        created_by=world.coordinator_a,
    )
    gone = make_activity(world.group_a, world.coordinator_a, title="Weg")
    other_group = make_activity(world.group_b, world.coordinator_b, title="Geheim in Genk")
    _log(world, "view", activity_services.attendance_fields(activity))
    _log(world, "change", activity_services.attendance_fields(activity, "added", "spoke"))
    _log(world, "change", activity_services.attendance_fields(gone, "deleted"))
    gone_pk = gone.pk
    gone.delete()
    # A row never names another group's record, even one whose number it holds.
    _log(world, "view", activity_services.attendance_fields(other_group))
    _log(world, "change", activity_services.board_fields(f"seat:{seat.pk}", "ended"))
    _log(world, "erase", [f"reden:{EraseReason.FAMILY_REQUEST}"])
    _log(world, "anonymise", ["bewaartermijn:2026-11-30"])
    _log(world, "subject_access", ["download"])
    _log(world, "export", ["signalen.xlsx", "2026-01-01..2026-06-30"], household=False)
    _log(world, "follow_up", ["done_at"])

    html = (
        as_user(world.coordinator_a)
        .get(reverse("households:access_log", kwargs={"slug": "brugge"}))
        .content.decode()
    )
    for words in [
        "aanwezigheden, activiteit “Soepnamiddag” van 3 dec. 2026</td>",
        "aanwezigheden, activiteit “Soepnamiddag” van 3 dec. 2026, aanwezig gezet, nam het woord</td>",
        "aanwezigheden, een activiteit die intussen gewist is, activiteit gewist</td>",
        "kerngroep, plaats in de kerngroep sinds 5 jan. 2026, plaats in de kerngroep beëindigd</td>",
        "reden: het gezin vraagt het (vergeetrecht)</td>",
        "bewaartermijn verstreken op 30 nov. 2026</td>",
        "als bestand</td>",
        "signalenrapport (Excel-bestand), 1 jan. 2026 tot en met 30 jun. 2026</td>",
        "gedaan op</td>",
    ]:
        assert words in html
    assert "Geheim in Genk" not in html
    for raw in ("activity:", "seat:", "reden:family", "bewaartermijn:", "attendance", "done_at", "signalen."):
        assert raw not in html
    assert f"activiteit nr. {gone_pk}" not in html


def test_the_access_log_page_names_records_in_a_fixed_number_of_queries(
    world, as_user, queries_stay_constant
):
    def log_activity_and_seat(n: int) -> None:
        activity = make_activity(world.group_a, world.coordinator_a, title=f"Activiteit {n}")
        seat = BoardSeat.objects.create(
            group=world.group_a,
            person=world.person_a,
            household=world.household_a,
            started_on=timezone.localdate() - timedelta(days=400 + 2 * n),
            ended_on=timezone.localdate() - timedelta(days=400 + 2 * n - 1),
            created_by=world.coordinator_a,
        )
        _log(world, "view", activity_services.attendance_fields(activity))
        _log(world, "change", activity_services.board_fields(f"seat:{seat.pk}", "added"))

    log_activity_and_seat(0)

    def grow():
        for n in range(1, 15):
            log_activity_and_seat(n)

    queries_stay_constant(
        as_user(world.coordinator_a), reverse("households:access_log", kwargs={"slug": "brugge"}), grow
    )


def test_the_admin_shows_the_same_words(world, superuser_client):
    activity = make_activity(world.group_a, world.coordinator_a, title="Soepnamiddag")
    entry = _log(world, "view", activity_services.attendance_fields(activity))
    listing = superuser_client.get(reverse("admin:households_accesslogentry_changelist")).content.decode()
    assert "aanwezigheden, activiteit “Soepnamiddag”" in listing
    assert "activity:" not in listing
    detail = superuser_client.get(
        reverse("admin:households_accesslogentry_change", args=[entry.pk])
    ).content.decode()
    assert "aanwezigheden, activiteit “Soepnamiddag”" in detail


def test_a_reference_that_is_no_number_is_shown_not_looked_up(world):
    """'²' is a digit to str.isdigit() but not to int(): such a key must not take the page down
    (found by the attacker's review; no writer puts one there today)."""
    entries = [_log(world, "view", [log_fields.ATTENDANCE, f"{log_fields.ACTIVITY}:{key}"]) for key in "²٣x"]
    entries.append(_log(world, "change", [log_fields.BOARD, f"{log_fields.SEAT}:²"]))
    described = log_fields.describe(entries)
    assert [entry.field_labels()[1] for entry in described] == [
        "een activiteit die intussen gewist is",
        "een activiteit die intussen gewist is",
        "een activiteit die intussen gewist is",
        "een plaats in de kerngroep die intussen gewist is",
    ]
