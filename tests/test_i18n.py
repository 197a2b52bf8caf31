"""English is the second language: the footer's choice sticks, and every Dutch text has its English.

These tests read the compiled catalogue (django.mo). `make test` compiles it first; by hand, run
`python manage.py compilemessages --ignore=.venv --ignore=.uv` before pytest.
"""

import ast
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import reverse

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def choose_english(client, next_url="/"):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    return client


def test_after_choosing_english_the_login_page_is_english(client, db):
    choose_english(client, next_url=reverse("account_login"))
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Inloggen" not in html


def test_a_coordinator_who_chose_english_sees_the_group_in_english(world, as_user):
    client = choose_english(as_user(world.coordinator_a), next_url="/g/brugge/")
    response = client.get("/g/brugge/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Home</a>" in html
    assert ">Members</a>" in html
    assert "Log out" in html
    volunteer = choose_english(as_user(world.volunteer_a), next_url="/g/brugge/")
    assert "My households</h1>" in volunteer.get("/g/brugge/").content.decode()
    for dutch in ("Leden van de groep", "Afmelden", "Iemand uitnodigen"):
        assert dutch not in html


def test_without_a_choice_everything_is_dutch(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="nl-be">' in html
    assert "<h1>Inloggen</h1>" in html
    assert "Log in" not in html


def test_without_a_choice_the_group_home_is_dutch(world, as_user):
    html = as_user(world.coordinator_a).get("/g/brugge/").content.decode()
    assert ">Start</a>" in html
    assert ">Leden</a>" in html
    assert "Afmelden" in html


# --- The catalogue itself ----------------------------------------------------------------


@dataclass
class PoEntry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def parse_po(text: str) -> list[PoEntry]:
    """Just enough of the PO format for the checks below: flags, context, plurals, continuation
    lines. Obsolete entries (`#~`) are ignored, as msgfmt does."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int] | None = None  # which field a continuation line extends

    def start(lineno: int) -> PoEntry:
        nonlocal entry, pending_flags
        entry = PoEntry(line=lineno, flags=pending_flags)
        pending_flags = set()
        entries.append(entry)
        return entry

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            target = None
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            assert entry is not None and target is not None, f"stray string on line {lineno}"
            value = ast.literal_eval(line)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue
        value = ast.literal_eval(rest)
        if keyword == "msgctxt":
            start(lineno).msgctxt = value
            target = ("msgctxt", 0)
        elif keyword == "msgid":
            if entry is None or entry.msgstr or target is None or target[0] != "msgctxt":
                entry = start(lineno)
            entry.msgid = value
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            assert entry is not None
            entry.msgid_plural = value
            target = ("msgid_plural", 0)
        elif keyword == "msgstr":
            assert entry is not None
            entry.msgstr[0] = value
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[7:-1])
            assert entry is not None
            entry.msgstr[index] = value
            target = ("msgstr", index)
        else:
            raise AssertionError(f"cannot read line {lineno} of {PO_FILE.name}: {raw!r}")
    return entries


def test_the_po_parser_reads_context_plurals_and_continuations():
    sample = textwrap.dedent(
        """\
        msgid ""
        msgstr "Language: en\\n"

        #, fuzzy, python-format
        msgctxt "knop"
        msgid "Op"
        "slaan"
        msgstr ""

        msgid "%(n)s lid"
        msgid_plural "%(n)s leden"
        msgstr[0] "%(n)s member"
        msgstr[1] ""
        "%(n)s members"

        #~ msgid "Oud"
        #~ msgstr ""
        """
    )
    entries = parse_po(sample)
    assert [e.msgid for e in entries] == ["", "Opslaan", "%(n)s lid"]
    assert entries[1].flags == {"fuzzy", "python-format"}
    assert entries[1].msgctxt == "knop"
    assert entries[2].msgstr == {0: "%(n)s member", 1: "%(n)s members"}


def test_every_dutch_text_has_an_english_translation():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert len(messages) > 100  # the whole catalogue was read, not just its first entry

    untranslated = [
        f"line {e.line}: {e.msgid!r}" for e in messages if not e.msgstr or not all(e.msgstr.values())
    ]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages if "fuzzy" in e.flags]
    assert not untranslated, "Add English for these texts in django.po:\n" + "\n".join(untranslated)
    assert not fuzzy, "Check these translations and remove their ‘#, fuzzy’ flag:\n" + "\n".join(fuzzy)


def test_every_text_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    """makemessages, run over the code into a copy of the catalogue, finds no text the catalogue
    lacks: a new Dutch text without its English fails here, not in front of an English user."""
    import shutil

    from django.core.management import call_command

    root = Path(settings.BASE_DIR)
    # makemessages writes to ./locale: give it a working folder of its own that links to the code.
    # Every app of ours (found in the app registry, so a new app is scanned without a change
    # here), the project package and the templates.
    ours = {Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == root}
    for folder in sorted(ours | {root / "welzijn", root / "templates"}):
        (tmp_path / folder.name).symlink_to(folder)
    shutil.copytree(root / "locale", tmp_path / "locale")
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], symlinks=True, no_obsolete=True, verbosity=0)
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    known = {(e.msgctxt, e.msgid) for e in parse_po(PO_FILE.read_text(encoding="utf-8"))}
    found = {(e.msgctxt, e.msgid) for e in parse_po(copy.read_text(encoding="utf-8"))}
    missing = sorted(msgid for _, msgid in found - known)
    assert not missing, f"run makemessages and translate: {missing}"
