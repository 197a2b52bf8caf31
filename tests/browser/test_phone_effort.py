"""The volunteer's phone (issue #12): what logging a standard visit, ticking off a follow-up
and adding a family cost a slow user at 360 x 740, counted by `tests.browser.effort.Effort`.

Run with `-s` to see the model times printed.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from households.models import Household
from tests.browser.effort import Effort
from tests.helpers import PASSWORD
from visits.models import Visit

pytestmark = pytest.mark.browser

SENTENCE = "Samen de brief van OCMW gelezen"[:30]  # the 30-character sentence


def choices(page: Page, legend: str):
    return page.get_by_role("group", name=legend)


MAX_TAPS, MAX_SWIPES, MAX_PAGES_BEFORE_SAVING, MAX_SECONDS = 7, 1, 2, 60
# What a page may take to load on a volunteer's phone, kept free within the minute: the test
# asserts the person's own time plus this budget, and prints the time with the measured loads.
LOAD_BUDGET_PER_PAGE = 0.5


def test_a_standard_visit_from_the_start_page_takes_under_a_minute(page: Page, live_server, world, log_in):
    """Partner, two topics, one kind of help and a 30-character sentence, from the start page."""
    log_in(world.volunteer_a)
    walk = Effort(page)
    walk.start("/g/brugge/")
    walk.tap(page.get_by_role("link", name=re.compile("^Contact noteren.*Familie Peeters")), navigates=True)
    walk.tap(choices(page, "Wie was erbij?").get_by_role("checkbox", name="Anna Coördinator"))
    topics = choices(page, "Waarover ging het?")
    walk.tap(topics.get_by_role("checkbox", name="wonen"))
    walk.tap(topics.get_by_role("checkbox", name="inkomen & schulden"))
    walk.tap(choices(page, "Praktische hulp").get_by_role("checkbox", name="papierwerk"))
    walk.type_into(page.get_by_label("Kort verslag"), SENTENCE)
    pages_before_saving = walk.pages
    walk.tap(page.get_by_role("button", name="Opslaan"), navigates=True)
    walk.report("standard visit")

    # The confirmation is on the first screen after saving, not somewhere below.
    confirmation = page.get_by_role("status")
    expect(confirmation).to_contain_text("Het contact is opgeslagen.")
    box, viewport = confirmation.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    visit = Visit.objects.exclude(pk=world.visit_a.pk).get(household=world.household_a)
    assert set(visit.volunteers.all()) == {world.volunteer_a, world.coordinator_a}
    assert (visit.topics, visit.support, visit.summary) == (
        ["housing", "income_debt"],
        ["paperwork"],
        SENTENCE,
    )
    assert walk.taps <= MAX_TAPS
    assert walk.swipes <= MAX_SWIPES
    assert pages_before_saving <= MAX_PAGES_BEFORE_SAVING
    assert walk.effort_seconds + walk.pages * LOAD_BUDGET_PER_PAGE <= MAX_SECONDS


def test_a_follow_up_is_done_in_one_tap_and_undone_in_one_more(page: Page, live_server, world, log_in):
    log_in(world.volunteer_a)
    walk = Effort(page)
    walk.start("/g/brugge/")
    walk.tap(page.get_by_role("button", name=re.compile(r"^Gedaan\s*:\s*Brief OCMW nalezen")), navigates=True)
    walk.report("follow-up done")
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.done_at is not None
    assert walk.taps <= 2
    expect(page.get_by_role("status")).to_contain_text("Gedaan: Brief OCMW nalezen")

    # Without JavaScript too, the undo is a plain POST.
    with page.expect_navigation():
        page.get_by_role("button", name="Ongedaan maken").click()
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.done_at is None
    expect(page.get_by_role("status")).to_contain_text("Weer open: Brief OCMW nalezen")


def test_a_new_family_with_two_persons(page: Page, live_server, world, log_in):
    log_in(world.volunteer_a)
    walk = Effort(page)
    walk.start("/g/brugge/")
    walk.tap(
        page.get_by_role("navigation", name="Groep").get_by_role("link", name="Gezinnen"), navigates=True
    )
    walk.tap(page.get_by_role("link", name="Nieuw gezin"), navigates=True)
    walk.type_into(page.get_by_label("Naam van het gezin"), "Familie Claes")
    walk.type_into(page.get_by_label("Straat"), "Molenstraat")
    walk.type_into(page.get_by_label("Huisnummer"), "3")
    walk.type_into(page.get_by_label("Postcode"), "8000")
    walk.tap(choices(page, "Talen die het gezin spreekt").get_by_role("checkbox", name="Nederlands"))
    # The volunteer who creates the family is already ticked as its contact person.
    expect(choices(page, "Contactpersonen").get_by_role("checkbox", name="Arne Vrijwilliger")).to_be_checked()
    walk.tap(page.get_by_role("button", name="Opslaan"), navigates=True)
    walk.type_into(page.locator("#id_new-first_name"), "Els")
    walk.tap(page.get_by_role("button", name="Gezinslid toevoegen"), navigates=True)
    walk.tap(page.locator("summary", has_text="Gezinslid toevoegen"))
    walk.type_into(page.locator("#id_new-first_name"), "Tom")
    walk.tap(page.get_by_role("button", name="Gezinslid toevoegen").last, navigates=True)
    walk.report("family with two persons")
    household = Household.objects.get(display_name="Familie Claes")
    assert sorted(household.persons.values_list("first_name", flat=True)) == ["Els", "Tom"]
    assert list(household.contacts.values_list("user", flat=True)) == [world.volunteer_a.pk]


MAX_HEADING_TOP_PX = 120


@pytest.mark.parametrize("where", ["start", "household", "visit form"])
def test_the_first_screen_holds_the_heading_and_what_comes_next(
    page: Page, live_server, world, log_in, assert_accessible, where
):
    """A compact header: the page's heading at most 120 px from the top at 360 x 740; on the
    household page "Contact noteren" and the open follow-ups are on the first screen."""
    log_in(world.volunteer_a)
    household = f"/g/brugge/households/{world.household_a.pk}/"
    page.goto({"start": "/g/brugge/", "household": household, "visit form": f"{household}visits/new/"}[where])
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None
    assert heading["y"] <= MAX_HEADING_TOP_PX
    if where == "household":
        expect(page.get_by_role("link", name="Contact noteren")).to_be_in_viewport()
        expect(
            page.get_by_role("button", name=re.compile(r"^Gedaan\s*:\s*Brief OCMW nalezen"))
        ).to_be_in_viewport()
        # Address, persons and consent are folded below.
        expect(page.get_by_text("Kerkstraat 12")).to_be_hidden()
    if where == "start":
        expect(
            page.get_by_role("link", name=re.compile("^Contact noteren.*Familie Peeters"))
        ).to_be_in_viewport()
        expect(page.get_by_text("laatste contact")).to_be_visible()
    assert_accessible(page)


def test_a_visit_and_an_undo_work_without_javascript(browser, live_server, world):
    """No script at all: the start page, the folded parts of the visit form, the save, "Gedaan"
    and its undo are plain links, <details> and POST forms."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        locale="nl-BE",
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("E-mailadres").fill(world.volunteer_a.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("link", name=re.compile("^Contact noteren.*Familie Peeters")).click()
        choices(page, "Waarover ging het?").locator("summary").click()
        choices(page, "Waarover ging het?").get_by_role("checkbox", name="energie").check()
        page.get_by_label("Kort verslag").fill(SENTENCE)
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("Het contact is opgeslagen.")
        visit = Visit.objects.exclude(pk=world.visit_a.pk).get(household=world.household_a)
        assert (visit.topics, visit.summary) == (["energy"], SENTENCE)

        page.goto("/g/brugge/")
        page.get_by_role("button", name=re.compile(r"^Gedaan\s*:\s*Brief OCMW nalezen")).click()
        page.get_by_role("button", name="Ongedaan maken").click()
        expect(page.get_by_role("status")).to_contain_text("Weer open: Brief OCMW nalezen")
        world.follow_up_a.refresh_from_db()
        assert world.follow_up_a.done_at is None
    finally:
        context.close()


def test_the_menu_row_shows_the_tab_of_the_page_you_are_on(page: Page, live_server, world, log_in):
    """On a 360-px phone a coordinator's nine tabs do not fit: the current one is scrolled into
    view, also when it is far to the right."""
    log_in(world.coordinator_a)
    for path, name in [("/g/brugge/activities/", "Activiteiten"), ("/g/brugge/access-log/", "Toegangslog")]:
        page.goto(path)
        tab = page.locator(".group-nav [aria-current='page']")
        expect(tab).to_have_text(name)
        box, viewport = tab.bounding_box(), page.viewport_size
        assert box is not None and viewport is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (path, box)
