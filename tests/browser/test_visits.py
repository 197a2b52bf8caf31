"""Visits in the browser: logging a contact on a phone with a follow-up and ticking it off,
drafts that survive a reload, one visit per double tap, the error summary, axe on every visits
page, and a confidential note that stays with its author."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.browser.checks import assert_page_is_sound, summary
from visits.models import FollowUp, Visit

pytestmark = pytest.mark.browser

DRAFT_NOTICE = "We hebben je niet-opgeslagen invoer teruggezet."


def choices(page: Page, legend: str) -> Locator:
    """The fieldset of checkboxes or radios whose legend reads `legend`."""
    return page.get_by_role("group", name=legend)


def done_button(page: Page, what: str, *, label: str = "Gedaan") -> Locator:
    # The follow-up's description is in a visually hidden span after the colon; Chromium puts a
    # space around such a span when it computes the button's name ("Gedaan : …").
    return page.get_by_role("button", name=re.compile(rf"^{label}\s*:\s*{re.escape(what)}$"))


def household_url(world) -> str:
    return f"/g/brugge/households/{world.household_a.pk}/"


def visit_form_url(world) -> str:
    return f"{household_url(world)}visits/new/"


def new_visits(world):
    return Visit.objects.filter(household=world.household_a).exclude(pk=world.visit_a.pk)


def test_a_volunteer_logs_a_home_visit_with_a_follow_up_and_ticks_it_off(
    page: Page, live_server, world, log_in
):
    today = timezone.localdate()
    due = today + timedelta(days=7)
    report = "We hebben samen de brief van de huisbaas gelezen."
    what = "Huisbaas bellen over de herstelling"

    log_in(world.volunteer_a)
    page.get_by_role("navigation", name="Groep").get_by_role("link", name="Gezinnen").click()
    page.get_by_role("link", name=re.compile("Familie Peeters")).click()
    page.get_by_role("link", name="Contact noteren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Contact noteren Familie Peeters")
    # Date and kind are said in one line ("Huisbezoek, vandaag") and unfold to be changed.
    summary(page, "Huisbezoek, vandaag wijzigen").click()
    expect(page.get_by_label("Datum")).to_have_value(today.isoformat())
    expect(choices(page, "Soort contact").get_by_role("radio", name="huisbezoek")).to_be_checked()
    who = choices(page, "Wie was erbij?")
    expect(who.get_by_role("checkbox", name="Arne Vrijwilliger")).to_be_checked()
    who.get_by_role("checkbox", name="Anna Coördinator").check()
    topics = choices(page, "Waarover ging het?")
    topics.get_by_role("checkbox", name="wonen").check()
    topics.get_by_role("checkbox", name="inkomen & schulden").check()
    choices(page, "Praktische hulp").get_by_role("checkbox", name="papierwerk").check()
    page.get_by_label("Kort verslag").fill(report)

    # Folded away until asked for: a standard visit has no follow-up.
    description = page.get_by_label("Wat moet er gebeuren?")
    expect(description).to_be_hidden()
    summary(page, "Actiepunt toevoegen").click()
    description.fill(what)
    page.get_by_label("Tegen wanneer?").fill(due.isoformat())
    expect(page.get_by_label("Wie doet het?")).to_have_value(str(world.volunteer_a.pk))
    page.get_by_role("button", name="Opslaan").click()

    # Back on top of the household page: the confirmation is on screen, not scrolled away.
    expect(page).to_have_url(f"{live_server.url}{household_url(world)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familie Peeters")
    expect(page.get_by_role("status")).to_contain_text("Het contact is opgeslagen.")
    card = page.get_by_role("region", name="Contacten").get_by_role("article").filter(has_text=report)
    expect(card).to_contain_text("Anna Coördinator")
    expect(card).to_contain_text("Arne Vrijwilliger")
    expect(card).to_contain_text("wonen, inkomen & schulden")
    expect(card).to_contain_text("papierwerk")
    expect(card).to_contain_text(what)

    visit = new_visits(world).get()
    assert (visit.group, visit.author, visit.date, visit.kind) == (
        world.group_a,
        world.volunteer_a,
        today,
        Visit.Kind.HOME,
    )
    assert set(visit.volunteers.all()) == {world.volunteer_a, world.coordinator_a}
    assert visit.topics == ["housing", "income_debt"]
    assert visit.support == ["paperwork"]
    assert visit.summary == report
    follow_up = visit.follow_ups.get()
    assert (follow_up.group, follow_up.household, follow_up.description, follow_up.due_date) == (
        world.group_a,
        world.household_a,
        what,
        due,
    )
    assert follow_up.assignee == world.volunteer_a and follow_up.done_at is None
    assert not visit.signals.exists()

    page.get_by_role("navigation", name="Groep").get_by_role("link", name="Mijn actiepunten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn actiepunten")
    done = done_button(page, what)
    expect(page.get_by_role("listitem").filter(has=done)).to_contain_text("Familie Peeters")
    done.click()

    expect(page.get_by_role("status")).to_contain_text(f"Gedaan: {what}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn actiepunten")
    expect(done).to_have_count(0)
    # The fixture's overdue follow-up is still open: the list was not simply emptied.
    expect(done_button(page, "Brief OCMW nalezen")).to_be_visible()
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None and follow_up.done_by == world.volunteer_a


def open_visit_form(page: Page) -> None:
    """Tap "Contact noteren" and wait for the load event: by then forms.js has restored any draft
    (or found none), so what the test sees next is what the person sees."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Contact noteren").click()


def test_a_reload_brings_back_the_draft_and_a_save_clears_it(page: Page, live_server, world, log_in):
    report = "Gesprek over de energiefactuur."
    log_in(world.volunteer_a)
    page.goto(household_url(world))
    open_visit_form(page)
    partner = choices(page, "Wie was erbij?").get_by_role("checkbox", name="Anna Coördinator")
    me = choices(page, "Wie was erbij?").get_by_role("checkbox", name="Arne Vrijwilliger")
    topic = choices(page, "Waarover ging het?").get_by_role("checkbox", name="energie")
    report_field = page.get_by_label("Kort verslag")
    notice = page.get_by_text(DRAFT_NOTICE)
    expect(notice).to_be_hidden()
    # A topic this family and group rarely have sits behind "meer".
    choices(page, "Waarover ging het?").locator("summary").click()
    partner.check()
    topic.check()
    report_field.fill(report)

    page.reload()

    expect(notice).to_be_visible()
    expect(partner).to_be_checked()
    expect(me).to_be_checked()
    expect(topic).to_be_checked()
    expect(report_field).to_have_value(report)

    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het contact is opgeslagen.")
    visit = new_visits(world).get()
    assert set(visit.volunteers.all()) == {world.volunteer_a, world.coordinator_a}
    assert (visit.topics, visit.summary) == (["energy"], report)

    open_visit_form(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact noteren Familie Peeters")
    expect(notice).to_be_hidden()
    expect(partner).not_to_be_checked()
    expect(me).to_be_checked()
    expect(topic).not_to_be_checked()
    expect(report_field).to_have_value("")


def test_a_double_tap_on_save_logs_the_visit_once(page: Page, live_server, world, log_in):
    log_in(world.volunteer_a)
    page.goto(visit_form_url(world))
    page.get_by_label("Kort verslag").fill("Kort telefoontje.")

    page.get_by_role("button", name="Opslaan").dblclick()

    expect(page.get_by_role("status")).to_contain_text("Het contact is opgeslagen.")
    expect(page.get_by_role("region", name="Contacten").get_by_text("Kort telefoontje.")).to_have_count(1)
    assert new_visits(world).count() == 1


def test_the_visit_form_with_its_folded_parts_open_is_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    log_in(world.volunteer_a)
    page.goto(visit_form_url(world))
    for part in ("Vertrouwelijke notitie", "Actiepunt toevoegen", "Signaal toevoegen"):
        summary(page, part).click()
    expect(page.get_by_label("Wat moet er gebeuren?")).to_be_visible()
    expect(page.get_by_label("Wat liep er mis?")).to_be_visible()
    expect(page.get_by_label("Vertrouwelijke notitie")).to_be_visible()

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_visit_form_with_errors_is_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    log_in(world.volunteer_a)
    page.goto(visit_form_url(world))
    summary(page, "Actiepunt toevoegen").click()
    summary(page, "Signaal toevoegen").click()
    summary(page, "Huisbezoek, vandaag wijzigen").click()
    page.get_by_label("Datum").fill((timezone.localdate() + timedelta(days=1)).isoformat())
    page.get_by_label("Kort verslag").fill("Dit gebeurt pas morgen.")
    page.get_by_role("button", name="Opslaan").click()

    # The form starts with a summary of what is wrong; focus is there, and its link leads to
    # the field (whose fold is open), with the message next to the field too.
    errors = page.get_by_role("region", name="Nog niet opgeslagen")
    expect(errors).to_be_focused()
    expect(errors).to_be_in_viewport()
    errors.get_by_role("link", name="Datum: De datum kan niet in de toekomst liggen.").click()
    expect(page.get_by_label("Datum")).to_be_focused()
    expect(page.locator(".errorlist").get_by_text("De datum kan niet in de toekomst liggen.")).to_be_visible()
    expect(page.get_by_label("Kort verslag")).to_have_value("Dit gebeurt pas morgen.")
    assert not new_visits(world).exists()

    # At the end of the page the sticky save bar sits below the form instead of over whatever
    # happens to be at the bottom edge of the screen (axe counts a covered radio as too small).
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert_page_is_sound(page, assert_accessible, csp_violations)


# Where the focused element is, and where the sticky save bar begins.
FOCUS_AND_BAR = """() => {
  const bar = document.querySelector(".sticky-actions");
  const focused = document.activeElement;
  return {
    name: focused.id || focused.textContent.trim(),
    inBar: bar.contains(focused),
    bottom: focused.getBoundingClientRect().bottom,
    barTop: bar.getBoundingClientRect().top,
  };
}"""


def test_the_sticky_save_bar_never_hides_the_field_that_has_focus(page: Page, world, log_in):
    """WCAG 2.4.11, which axe cannot check: tabbing down the form on a phone, each field scrolls
    into view above the bar that keeps "Opslaan" in reach, not under it."""
    log_in(world.volunteer_a)
    page.goto(visit_form_url(world))
    page.get_by_role("heading", level=1).click()
    hidden = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_AND_BAR)
        if focus["inBar"]:
            break
        if focus["bottom"] > focus["barTop"] + 1:
            hidden.append(focus)
    else:
        pytest.fail("Tabbing never reached the save bar.")
    assert not hidden, f"Focused fields under the save bar: {hidden}"


def test_the_household_timeline_and_the_visit_page_are_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    log_in(world.volunteer_a)
    page.goto(household_url(world))
    card = page.get_by_role("region", name="Contacten").get_by_role("article")
    expect(card).to_contain_text("Gesprek over de huur.")
    expect(card).to_contain_text("Brief OCMW nalezen")
    expect(card).to_contain_text("Signaal: OCMW")
    # The author reads their own confidential note; the last test proves nobody else receives it.
    expect(card).to_contain_text("Geheim A")
    assert_page_is_sound(page, assert_accessible, csp_violations)

    card.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huisbezoek op")
    expect(done_button(page, "Brief OCMW nalezen")).to_be_visible()
    expect(page.get_by_role("link", name="OCMW – inkomen & schulden")).to_be_visible()
    expect(page.get_by_text("Geheim A")).to_be_visible()
    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_lists_of_visits_follow_ups_and_signals_are_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    log_in(world.volunteer_a)
    page.goto("/g/brugge/visits/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacten van de groep")
    expect(page.get_by_role("link", name=re.compile("Familie Peeters"))).to_be_visible()
    assert_page_is_sound(page, assert_accessible, csp_violations)

    page.goto("/g/brugge/follow-ups/mine/")
    expect(done_button(page, "Brief OCMW nalezen")).to_be_visible()
    assert_page_is_sound(page, assert_accessible, csp_violations)

    page.goto("/g/brugge/signals/")
    expect(page.get_by_role("link", name=re.compile("OCMW – inkomen & schulden"))).to_be_visible()
    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_follow_ups_of_the_group_are_accessible_to_a_coordinator(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    # One done, so that both the open and the done look are scanned.
    FollowUp.objects.create(
        group=world.group_a,
        household=world.household_a,
        description="Schoolfactuur nakijken",
        due_date=timezone.localdate(),
        assignee=world.coordinator_a,
        created_by=world.coordinator_a,
        done_at=timezone.now(),
        done_by=world.coordinator_a,
    )
    log_in(world.coordinator_a)
    page.goto(household_url(world))
    page.get_by_role("navigation", name="Groep").get_by_role("link", name="Actiepunten", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actiepunten van de groep")
    expect(done_button(page, "Brief OCMW nalezen")).to_be_visible()
    expect(page.get_by_text("Schoolfactuur nakijken")).to_have_count(0)
    assert_page_is_sound(page, assert_accessible, csp_violations)

    page.get_by_label("Status").select_option(label="alle")
    page.get_by_role("button", name="Toon").click()
    expect(done_button(page, "Schoolfactuur nakijken", label="Toch niet gedaan")).to_be_visible()
    expect(done_button(page, "Brief OCMW nalezen")).to_be_visible()
    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_a_volunteer_who_did_not_write_it_never_receives_the_confidential_note(page: Page, world, log_in):
    log_in(world.volunteer_a_and_a2)
    page.goto(f"/g/brugge/visits/{world.visit_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huisbezoek op")
    expect(page.get_by_text("Gesprek over de huur.")).to_be_visible()
    assert "Geheim A" not in page.content()
    expect(page.get_by_text("Vertrouwelijke notitie")).to_have_count(0)

    page.goto(household_url(world))
    expect(page.get_by_role("region", name="Contacten")).to_contain_text("Gesprek over de huur.")
    assert "Geheim A" not in page.content()
