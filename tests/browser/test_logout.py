"""Nothing of a family stays in the browser after logout (issue #8.6), in Chromium with its
back/forward cache on (headless Chromium keeps it on by default)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def bfcache_page(browser, live_server):
    """A page in a Chromium that keeps its back/forward cache: Playwright switches it off by
    default (--disable-back-forward-cache), which would hide exactly the fault tested here."""
    cache.clear()
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-BE")
    context.set_default_timeout(5_000)
    yield context.new_page()
    chromium.close()


def test_back_after_logout_does_not_show_the_confidential_note(world, bfcache_page):
    page = bfcache_page
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(world.volunteer_a.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    page.goto(reverse("visits:detail", kwargs={"slug": "brugge", "pk": world.visit_a.pk}))
    assert "Geheim A" in page.content()
    # On a phone the account links sit in the header's "Menu" fold.
    menu = page.locator(".user-menu-fold > summary")
    if menu.is_visible():
        menu.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Afmelden").click()
    assert "/accounts/login/" in page.url
    # "commit": a page restored from the back/forward cache fires no new "load".
    page.go_back(wait_until="commit")
    page.wait_for_function("document.readyState === 'complete'")
    assert "Geheim A" not in page.content()
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize("way_out", ["allauth", "admin"])
def test_every_way_out_forgets_the_drafts(world, page, log_in, way_out):
    user = world.volunteer_a
    if way_out == "admin":
        user = world.outsider
        user.is_staff = user.is_superuser = True
        user.save()
    log_in(user)
    page.goto("/")
    page.evaluate(
        "window.sessionStorage.setItem('welzijn-draft:x', 'Geheime nota'); localStorage.setItem('x', '1')"
    )
    if way_out == "allauth":
        page.goto(reverse("account_logout"))  # allauth's own logout page, without our script's help
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
    else:
        page.goto(reverse("admin:index"))
        with page.expect_navigation():
            page.locator("#logout-form button").click()
    # (The admin's own page may store its sidebar state again after loading: look at ours.)
    assert page.evaluate("window.sessionStorage.getItem('welzijn-draft:x')") is None
    assert page.evaluate("window.localStorage.getItem('x')") is None
