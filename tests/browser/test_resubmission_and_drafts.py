"""Nothing doubled, nothing lost, in Chromium at 360 px: Back after saving a visit and saving
again logs it once; a session that runs out mid-form keeps the draft until the server has the
visit, offers it again to the same user after logging in, and never to anyone else."""

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import PASSWORD, give_mfa, totp_code
from visits.models import Visit

pytestmark = pytest.mark.browser

DRAFT_NOTICE = "We hebben je niet-opgeslagen invoer teruggezet."
REPORT = "Lang verslag: samen de brieven van het OCMW en de huisbaas doorgenomen."
SECRET = "Vertrouwelijk: de zoon slaapt bij een vriend."


def form_url(world) -> str:
    return f"/g/brugge/households/{world.household_a.pk}/visits/new/"


def new_visits(world):
    return Visit.objects.filter(household=world.household_a).exclude(pk=world.visit_a.pk)


def submission_id(page: Page) -> str:
    return page.locator("input[name=submission_id]").input_value()


def fill_visit(page: Page) -> None:
    page.get_by_label("Kort verslag").fill(REPORT)
    page.locator("summary", has_text="Vertrouwelijke notitie").click()
    page.get_by_label("Vertrouwelijke notitie").fill(SECRET)


def log_in_here(page: Page, user) -> None:
    """Log in on the login page the browser is on now (it carries ?next=)."""
    from accounts.services import requires_mfa

    if requires_mfa(user):
        give_mfa(user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Inloggen").click()
    # Someone who must have MFA types the code of their authenticator app (tests/helpers.py).
    for offset in (0, 1, -1):
        if "/accounts/2fa/authenticate/" not in page.url:
            break
        page.locator("input[name=code]").fill(totp_code(offset=offset))
        with page.expect_navigation(wait_until="load"):
            page.locator("form button[type=submit]").first.click()


def expire_session(page: Page) -> None:
    # What 12 hours, or a logout in another tab, leaves: no valid session cookie.
    page.context.clear_cookies(name="sessionid")


def test_back_after_saving_then_saving_again_logs_one_visit(page: Page, live_server, world, log_in):
    log_in(world.volunteer_a)
    page.goto(form_url(world), wait_until="load")
    first_id = submission_id(page)
    fill_visit(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het contact is opgeslagen.")

    page.go_back(wait_until="load")
    # Without the back/forward cache the form is loaded anew, with a new submission id, and
    # the browser fills in what was typed: reload for the new id, type it again as the refill.
    page.reload(wait_until="load")
    assert submission_id(page) != first_id
    fill_visit(page)
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("status")).to_contain_text("Dit was al opgeslagen.")
    assert new_visits(world).count() == 1


def test_an_expired_session_keeps_the_draft_until_the_visit_is_saved(page: Page, live_server, world, log_in):
    log_in(world.volunteer_a)
    page.goto(form_url(world), wait_until="load")
    fill_visit(page)
    expire_session(page)

    page.get_by_role("button", name="Opslaan").click()
    log_in_here(page, world.volunteer_a)  # the login page did not delete the draft …

    expect(page.get_by_role("heading", level=1)).to_contain_text("Contact noteren")
    expect(page.get_by_text(DRAFT_NOTICE)).to_be_visible()  # … and it is offered again
    expect(page.get_by_label("Kort verslag")).to_have_value(REPORT)
    expect(page.get_by_label("Vertrouwelijke notitie")).to_have_value(SECRET)
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("status")).to_contain_text("Het contact is opgeslagen.")
    visit = new_visits(world).get()
    assert (visit.summary, visit.confidential_note) == (REPORT, SECRET)
    page.goto(form_url(world), wait_until="load")  # the server has it: the draft is gone
    expect(page.get_by_text(DRAFT_NOTICE)).to_be_hidden()
    expect(page.get_by_label("Kort verslag")).to_have_value("")


def test_a_draft_is_never_shown_to_another_user_of_the_same_browser(page: Page, live_server, world, log_in):
    log_in(world.volunteer_a)
    page.goto(form_url(world), wait_until="load")
    fill_visit(page)
    expire_session(page)
    page.get_by_role("button", name="Opslaan").click()

    log_in_here(page, world.coordinator_a)  # someone else picks up the phone
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contact noteren")
    expect(page.get_by_text(DRAFT_NOTICE)).to_be_hidden()
    expect(page.get_by_label("Kort verslag")).to_have_value("")
    assert SECRET not in page.content()

    expire_session(page)
    page.goto(form_url(world), wait_until="load")
    log_in_here(page, world.volunteer_a)  # the author comes back: the draft is still theirs
    expect(page.get_by_text(DRAFT_NOTICE)).to_be_visible()
    expect(page.get_by_label("Kort verslag")).to_have_value(REPORT)
    assert not new_visits(world).exists()
