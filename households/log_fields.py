"""What an access-log row's `fields` say, in words a coordinator understands.

The one place that turns what the code writes ('phone', 'attendance', 'activity:3') into what the
access-log page and the admin show ('telefoon', 'aanwezigheden', 'activiteit "Soep" van 3 dec.
2026'). Every app writes its `fields` with the names defined here, or with the names of its
model's fields (taken from the model of the row's action, so that a signal's `status` is not a
consent's). `tests/households/test_log_fields.py` walks every name written and fails on one
without words.

A field may name a record as `<kind>:<key>` (an activity, a board seat, an erasure's reason). An
app above households tells how to name its records with `register_reference` (in its
AppConfig.ready()): households imports no app above it. `describe()` names the records of a whole
page of rows with one query per kind of record, whatever the number of rows.
"""

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.formats import short_date

if TYPE_CHECKING:
    from households.models import AccessLogEntry

# --- What the apps write besides their models' field names ------------------------------

# A group activity's attendance (activities.services.attendance_fields).
ATTENDANCE = "attendance"
ACTIVITY = "activity"  # activity:<pk>
ATTENDANCE_ADDED = "added"
ATTENDANCE_REMOVED = "removed"
ATTENDANCE_HELPED = "helped_organise"
ATTENDANCE_SPOKE = "spoke"
ATTENDANCE_DELETED = "deleted"

# A seat on the group's board (activities.services.board_fields).
BOARD = "board"
SEAT = "seat"  # seat:<pk>
SEAT_ADDED = "added"
SEAT_ENDED = "ended"

# Privacy: anonymised at the end of the retention period, erased on request, the family's copy.
RETENTION = "bewaartermijn"  # bewaartermijn:<date>
ERASE_REASON = "reden"  # reden:<code>
SUBJECT_ACCESS_PRINT = "afdruk"
SUBJECT_ACCESS_DOWNLOAD = "download"

# Reports of the whole group: a report's name, with the file type of a download ('signalen.csv'),
# and the period '<start>..<end>'.
YEARLY_REPORT = "jaarverslag"
SIGNALS_REPORT = "signalen"
EXPORT_FORMATS = ("csv", "xlsx")

# The fields that services write as a fixed list.
CLOSE_FIELDS = ("status", "closed_on", "close_reason", "close_note")
CONSENT_FIELDS = ("status", "method", "purpose")
FOLLOW_UP_DONE_FIELDS = ("done_at",)
# A follow-up or a signal added with a visit (visits.services): each gets its own row, as one
# added on its own page does, with what it was written with.
FOLLOW_UP_WITH_VISIT_FIELDS = ("description", "due_date", "assignee")
SIGNAL_WITH_VISIT_FIELDS = ("institution", "theme", "description", "noticed_on")
POSTPONE_FIELDS = ("retention_postponed_until", "retention_postpone_reason")
NOTE_EXPIRED_FIELDS = ("confidential_note",)

# Words for the names above. Within a row about attendance or the board, `added` and its
# siblings mean what that kind of row says.
_KIND_WORDS: dict[str, dict[str, Promise]] = {
    ATTENDANCE: {
        ATTENDANCE: _("aanwezigheden"),
        ATTENDANCE_ADDED: _("aanwezig gezet"),
        ATTENDANCE_REMOVED: _("niet meer aanwezig"),
        ATTENDANCE_HELPED: _("hielp organiseren"),
        ATTENDANCE_SPOKE: _("nam het woord"),
        ATTENDANCE_DELETED: _("activiteit gewist"),
    },
    BOARD: {
        BOARD: _("kerngroep"),
        SEAT_ADDED: _("plaats in de kerngroep toegevoegd"),
        SEAT_ENDED: _("plaats in de kerngroep beëindigd"),
    },
}
_WORDS: dict[str, Promise] = {
    SUBJECT_ACCESS_PRINT: _("om af te drukken"),
    SUBJECT_ACCESS_DOWNLOAD: _("als bestand"),
    YEARLY_REPORT: _("jaarverslag"),
    SIGNALS_REPORT: _("signalenrapport"),
}
_FORMAT_WORDS: dict[str, Promise] = {"csv": _("CSV-bestand"), "xlsx": _("Excel-bestand")}
# Names a form adds to its model's fields.
_FORM_WORDS: dict[str, Promise] = {"confidential_note_expires_on": _("notitie verdwijnt op")}

# Whose field names an action's row carries (app label, model), read through the app registry:
# households does not import visits.
_ACTION_MODELS: dict[str, tuple[str, str]] = {
    "create": ("households", "Household"),
    "change": ("households", "Household"),
    "close": ("households", "Household"),
    "reopen": ("households", "Household"),
    "postpone": ("households", "Household"),
    "person_add": ("households", "Person"),
    "person_change": ("households", "Person"),
    "consent": ("households", "Consent"),
    "visit_add": ("visits", "Visit"),
    "visit_change": ("visits", "Visit"),
    "note_expired": ("visits", "Visit"),
    "follow_up": ("visits", "FollowUp"),
    "signal": ("visits", "Signal"),
}


def period(start: date, end: date) -> str:
    """The name of a report's period in `fields`: '2026-01-01..2026-12-31'."""
    return f"{start.isoformat()}..{end.isoformat()}"


_PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")

# --- Records named in a row: '<kind>:<key>' ---------------------------------------------

# Given {group id: keys} of one page of rows, the words for each (group id, key) found. Keys of
# another group are never looked up in this one.
Namer = Callable[[Mapping[int, set[str]]], dict[tuple[int, str], str]]
_namers: dict[str, Namer] = {}
# What a reference says when its record was not looked up ('%(key)s' is the key) …
_unnamed: dict[str, Promise] = {
    ACTIVITY: _("activiteit nr. %(key)s"),
    SEAT: _("plaats in de kerngroep nr. %(key)s"),
    ERASE_REASON: _("reden: %(key)s"),
    RETENTION: _("bewaartermijn verstreken op %(key)s"),
}
# … and when it was, but the record is gone (an activity deleted since).
_gone: dict[str, Promise] = {
    ACTIVITY: _("een activiteit die intussen gewist is"),
    SEAT: _("een plaats in de kerngroep die intussen gewist is"),
}


def register_reference(kind: str, namer: Namer) -> None:
    """Let `describe` name the records a row refers to as '<kind>:<key>' (called by the app
    that owns them, in its AppConfig.ready())."""
    _namers[kind] = namer


def _retention(keys: Mapping[int, set[str]]) -> dict[tuple[int, str], str]:
    text = gettext("bewaartermijn verstreken op %(date)s")
    return {
        (group_id, key): text % {"date": short_date(date.fromisoformat(key), with_year=True)}
        for group_id, group_keys in keys.items()
        for key in group_keys
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", key)
    }


register_reference(RETENTION, _retention)


@functools.cache
def _model_words(app_label: str, model_name: str) -> dict[str, str | Promise]:
    words: dict[str, str | Promise] = {}
    for field in apps.get_model(app_label, model_name)._meta.get_fields():
        if hasattr(field, "verbose_name"):
            words[field.name] = field.verbose_name
    return words


def word_for(name: str, action: str, kind: str | None = None) -> str | None:
    """The words for a plain name in a row of `action` (about attendance or the board when `kind`
    says so), None when there are none."""
    if kind is not None and name in _KIND_WORDS[kind]:
        return str(_KIND_WORDS[kind][name])
    if name in _WORDS:
        return str(_WORDS[name])
    report, dot, fmt = name.partition(".")
    if dot and report in _WORDS and fmt in _FORMAT_WORDS:
        return f"{_WORDS[report]} ({_FORMAT_WORDS[fmt]})"
    if period := _PERIOD.match(name):
        start, end = (date.fromisoformat(day) for day in period.groups())
        return gettext("%(start)s tot en met %(end)s") % {
            "start": short_date(start, with_year=True),
            "end": short_date(end, with_year=True),
        }
    if action in _ACTION_MODELS:
        model_words = _model_words(*_ACTION_MODELS[action])
        if name in model_words:
            return str(model_words[name])
    if name in _FORM_WORDS:
        return str(_FORM_WORDS[name])
    return None


def words_for(
    fields: Iterable[str],
    action: str,
    named: Mapping[tuple[str, str], str] | None = None,
) -> list[str]:
    """The words for one row's `fields`. `named`: {(kind, key): words} for the records the row
    refers to (from `describe`); without it a reference says what kind of record it is."""
    fields = list(fields)
    kind = fields[0] if fields and fields[0] in _KIND_WORDS else None
    shown = []
    for name in fields:
        ref_kind, colon, key = name.partition(":")
        if colon and ref_kind in _unnamed:
            found = named.get((ref_kind, key)) if named is not None else None
            if found is None:
                missing = _gone if named is not None and ref_kind in _gone else _unnamed
                found = str(missing[ref_kind]) % {"key": key}
            shown.append(found)
            continue
        shown.append(word_for(name, action, kind) or name)
    return shown


def describe(entries: Iterable["AccessLogEntry"]) -> list["AccessLogEntry"]:
    """Set `field_words` (a list of words) on each of `entries`, naming the records they refer
    to with one query per kind of record on the page. Returns the entries."""
    rows = list(entries)
    wanted: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        for name in row.fields:
            kind, colon, key = name.partition(":")
            if colon and kind in _namers:
                wanted[kind][row.group_id].add(key)
    named: dict[int, dict[tuple[str, str], str]] = defaultdict(dict)
    for kind, keys in wanted.items():
        for (group_id, key), words in _namers[kind](keys).items():
            named[group_id][(kind, key)] = words
    for row in rows:
        row.field_words = words_for(row.fields, row.action, named.get(row.group_id, {}))
    return rows
