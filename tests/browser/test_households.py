"""Households in the browser: the volunteer's journey, axe scans of every households page, and
the print sheet, at phone width with the real CSP on."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from households.models import Household, Person
from tests.browser.checks import assert_page_is_sound, summary

pytestmark = pytest.mark.browser

HOUSEHOLD_URL = re.compile(r"/g/brugge/households/\d+/(#persons)?$")


def disclosure(page: Page, text: str) -> Locator:
    """The innermost <details> whose summary reads `text` (folds on the household page nest)."""
    return page.get_by_role("group").filter(has=summary(page, text)).last


def add_person(page: Page, *, first_name: str, last_name: str, birth_year: int, role: str) -> None:
    # Each person's own <details> has the same field labels: look them up in the add form only.
    form = disclosure(page, "Gezinslid toevoegen")
    form.get_by_label("Voornaam").fill(first_name)
    form.get_by_label("Familienaam").fill(last_name)
    form.get_by_label("Geboortejaar").fill(str(birth_year))
    form.get_by_label("Rol in het gezin").select_option(label=role)
    form.get_by_role("button", name="Gezinslid toevoegen").click()


def test_a_volunteer_registers_a_family_adds_its_members_and_finds_it_again(
    page: Page, live_server, world, log_in
):
    log_in(world.volunteer_a)
    page.get_by_role("navigation", name="Groep").get_by_role("link", name="Gezinnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gezinnen")

    page.get_by_role("link", name="Nieuw gezin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw gezin")
    page.get_by_label("Naam van het gezin").fill("Familie Çelik")
    address = page.get_by_role("group", name="Adres")
    address.get_by_label("Straat").fill("Molenstraat")
    address.get_by_label("Huisnummer").fill("7")
    address.get_by_label("Postcode").fill("8000")
    address.get_by_label("Gemeente").fill("Brugge")
    needs = page.get_by_role("group", name="Noden")
    needs.get_by_role("checkbox", name="wonen").check()
    needs.get_by_role("checkbox", name="onderwijs").check()
    page.get_by_role("button", name="Opslaan").click()

    expect(page).to_have_url(HOUSEHOLD_URL)
    expect(page.get_by_role("status")).to_contain_text("Het gezin is opgeslagen.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familie Çelik")
    # On a phone the family's details are folded below the visit button.
    expect(page.get_by_role("link", name="Contact noteren")).to_be_in_viewport()
    details = disclosure(page, "Gegevens")
    summary(page, "Gegevens").click()
    expect(details).to_contain_text("Molenstraat 7")
    expect(details).to_contain_text("wonen, onderwijs")
    household_url = page.url

    # A family without persons opens on its persons: adding them is the next step.
    persons = disclosure(page, "Gezinsleden")
    expect(persons).to_contain_text("Nog geen gezinsleden.")
    add_person(page, first_name="Ayşe", last_name="Çelik", birth_year=1985, role="volwassene")
    expect(page).to_have_url(f"{household_url}#persons")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familie Çelik")
    expect(page.get_by_role("status")).to_contain_text("Ayşe Çelik is toegevoegd aan het gezin.")
    expect(persons.get_by_role("listitem").filter(has_text="Ayşe Çelik")).to_contain_text(
        "geboren in 1985 · volwassene"
    )

    # With one person listed the add form is folded away: open it, as a person would.
    summary(page, "Gezinslid toevoegen").click()
    add_person(page, first_name="Emir", last_name="Çelik", birth_year=2016, role="kind")
    expect(page).to_have_url(f"{household_url}#persons")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familie Çelik")
    expect(page.get_by_role("status")).to_contain_text("Emir Çelik is toegevoegd aan het gezin.")
    expect(persons.get_by_role("listitem").filter(has_text="Emir Çelik")).to_contain_text(
        "geboren in 2016 · kind"
    )
    expect(persons.get_by_role("listitem").filter(has_text="Ayşe Çelik")).to_be_visible()

    page.get_by_role("navigation", name="Groep").get_by_role("link", name="Gezinnen").click()
    page.get_by_label("Zoek een gezin").fill("celik")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status")).to_have_text("1 gezin")
    expect(page.get_by_role("link", name=re.compile("Familie Peeters"))).to_have_count(0)
    page.get_by_role("link", name=re.compile("Familie Çelik")).click()

    expect(page).to_have_url(household_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Familie Çelik")

    household = Household.objects.get(display_name="Familie Çelik")
    assert household.group == world.group_a
    assert household.needs == ["housing", "education"]
    assert sorted(household.persons.values_list("first_name", "birth_year", "role", "group_id")) == [
        ("Ayşe", 1985, Person.Role.ADULT, world.group_a.pk),
        ("Emir", 2016, Person.Role.CHILD, world.group_a.pk),
    ]


def test_the_household_list_with_a_search_is_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    log_in(world.volunteer_a)
    page.goto("/g/brugge/households/")
    page.get_by_label("Zoek een gezin").fill("peeters")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name=re.compile("Familie Peeters"))).to_be_visible()
    summary(page, "Meer filters").click()
    expect(page.get_by_role("combobox", name="Contactpersoon", exact=True)).to_be_visible()
    # The filters' checkboxes were the browser's 13 px on a phone: as large as a form's.
    for box in page.locator('.filter-form input[type="checkbox"]').all():
        size = box.bounding_box()
        assert size is not None and size["width"] >= 24 and size["height"] >= 24, size

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_household_page_with_its_consent_warning_is_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    log_in(world.coordinator_a)
    page.goto(f"/g/brugge/households/{world.household_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familie Peeters")
    expect(page.get_by_role("note")).to_contain_text(
        "Er is nog geen toestemming van het gezin geregistreerd."
    )
    # Unfold the details, the persons and the consent, and the person's and the add forms,
    # so that axe sees every field on the page.
    summary(page, "Gegevens").click()
    summary(page, "Gezinsleden").click()
    summary(page, "Toestemming").click()
    expect(page.get_by_role("link", name="Opvolging afsluiten")).to_be_visible()
    summary(page, "Mieke wijzigen of verwijderen").click()
    summary(page, "Gezinslid toevoegen").click()
    expect(page.get_by_role("button", name="Mieke verwijderen")).to_be_visible()
    expect(page.get_by_role("button", name="Gezinslid toevoegen")).to_be_visible()

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_new_household_form_with_errors_is_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    log_in(world.volunteer_a)
    page.goto("/g/brugge/households/new/")
    page.get_by_label("Postcode").fill("80")
    page.get_by_role("button", name="Opslaan").click()

    errors = page.get_by_role("region", name="Nog niet opgeslagen")
    expect(errors).to_be_focused()
    for message in [
        "Vul de naam van het gezin in, bv. Familie Peeters.",
        "Een Belgische postcode heeft 4 cijfers, bv. 8000.",
    ]:
        expect(errors.get_by_role("link", name=re.compile(re.escape(message)))).to_be_visible()
        expect(page.locator(".errorlist").get_by_text(message)).to_be_visible()
    expect(page.get_by_label("Postcode")).to_have_value("80")
    assert Household.objects.filter(group=world.group_a).count() == 1

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_edit_form_is_accessible(page: Page, world, log_in, assert_accessible, csp_violations):
    log_in(world.volunteer_a)
    page.goto(f"/g/brugge/households/{world.household_a.pk}/")
    summary(page, "Gegevens").click()
    page.get_by_role("link", name="Gegevens wijzigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Familie Peeters wijzigen")
    expect(page.get_by_label("Naam van het gezin")).to_have_value("Familie Peeters")
    expect(page.get_by_role("group", name="Noden").get_by_role("checkbox", name="wonen")).to_be_checked()

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_duplicate_warning_is_accessible(page: Page, world, log_in, assert_accessible, csp_violations):
    log_in(world.volunteer_a)
    page.goto("/g/brugge/households/new/")
    page.get_by_label("Naam van het gezin").fill("Familie Peters")
    page.get_by_role("button", name="Opslaan").click()

    warning = page.get_by_role("alert")
    expect(warning.get_by_role("heading", name="Bestaat dit gezin al?")).to_be_visible()
    expect(warning.get_by_role("link", name="Familie Peeters")).to_be_visible()
    confirm = page.get_by_role("checkbox", name=re.compile("dit is een ander gezin"))
    expect(confirm).not_to_be_checked()
    # Its long label once squeezed the checkbox to half its width at 360 px.
    box = confirm.bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24, box
    assert not Household.objects.filter(display_name="Familie Peters").exists()

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_access_log_is_accessible(page: Page, world, log_in, assert_accessible, csp_violations):
    log_in(world.coordinator_a)
    page.goto(f"/g/brugge/households/{world.household_a.pk}/")
    page.get_by_role("navigation", name="Groep").get_by_role("link", name="Toegangslog").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Toegangslog")
    row = page.get_by_role("row").filter(has_text="Familie Peeters")
    expect(row).to_contain_text("Anna Coördinator")
    expect(row).to_contain_text("bekeken")

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_print_sheet_prints_the_family_without_the_site_around_it(page: Page, world, log_in):
    log_in(world.volunteer_a)
    page.goto(f"/g/brugge/households/{world.household_a.pk}/")
    page.locator("summary", has_text="Gegevens").click()
    page.get_by_role("link", name="Afdrukken").click()
    header = page.get_by_role("banner")
    account = page.get_by_role("banner").get_by_text("Menu")
    back = page.get_by_role("link", name="Terug naar het gezin")
    # On screen they are there, so that hiding them below is not vacuous.
    expect(header).to_be_visible()
    expect(account).to_be_visible()
    expect(back).to_be_visible()

    page.emulate_media(media="print")

    expect(header).to_be_hidden()
    expect(account).to_be_hidden()
    expect(back).to_be_hidden()
    expect(page.get_by_role("contentinfo")).to_be_hidden()
    expect(page.get_by_role("navigation")).to_have_count(0)  # roles count visible elements only
    expect(page.get_by_role("heading", level=1)).to_have_text("Familie Peeters")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Mieke")).to_be_visible()
