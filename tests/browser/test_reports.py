"""Reports in the browser: a coordinator goes from the dashboard to the families that need a
visit and downloads the yearly report as XLSX, on a phone; axe, sideways scrolling and the CSP on
every reports page; the yearly report on paper; and the charts' text alternatives."""

import io
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from households.models import Household
from tests.browser import checks
from tests.helpers import make_visit

pytestmark = pytest.mark.browser

DASHBOARD_URL = "/g/brugge/"
REPORT_URL = "/g/brugge/report/"
BAD_PERIOD = "Het einde ligt vóór het begin. Kies de begindatum of een latere datum."

# Every <svg role="img">: its accessible name, its caption's text, and its bars as they are drawn.
CHARTS = """() => [...document.querySelectorAll('svg[role="img"]')].map((svg) => {
  const caption = document.getElementById(svg.getAttribute("aria-labelledby") || "");
  const texts = (selector) => [...svg.querySelectorAll(selector)].map((t) => t.textContent.trim());
  const table = svg.closest("figure")?.querySelector("table");
  return {
    caption: caption ? caption.textContent.trim() : null,
    labels: texts(".chart-label"),
    values: texts(".chart-value"),
    rows: table
      ? [...table.tBodies[0].rows].map((row) => [...row.cells].map((cell) => cell.textContent.trim()))
      : null,
    widths: [...svg.querySelectorAll(".chart-bar")].map((rect) => Number(rect.getAttribute("width"))),
  };
})"""


# Elements that stick out past the right edge of the window other than inside a .table-scroll,
# where a wide table may scroll on its own, or a .scroll-row (the group's navigation on a phone);
# a clipped overflow would not show in scrollWidth. Folded (unrendered) content does not count.
STICKING_OUT = """() => [...document.body.querySelectorAll("*")]
  .filter((el) => !el.closest(".table-scroll, .scroll-row") && el.checkVisibility()
    && el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""


def assert_page_is_sound(page: Page, assert_accessible, csp_violations: list[str]) -> None:
    """As every page (tests/browser/checks.py), and a wide table only inside its .table-scroll."""
    checks.assert_page_is_sound(page, assert_accessible, csp_violations)
    assert page.evaluate(STICKING_OUT) == [], f"{page.url}: wider than the phone outside a .table-scroll"


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def open_chart_tables(page: Page) -> None:
    """Unfold every "Toon als tabel" under a chart, and wait until each table shows."""
    summaries = page.locator("details.chart-data > summary")
    assert summaries.count() > 0
    for summary in summaries.all():
        summary.click()
    for table in page.locator("details.chart-data table").all():
        expect(table).to_be_visible()


def visits_with_topics(world) -> None:
    """Two more contacts with Familie Peeters today, so that the topic and support charts have bars
    of different lengths (and not only the month chart has data)."""
    make_visit(
        world.household_a,
        world.volunteer_a,
        world.coordinator_a,
        topics=["housing", "income_debt"],
        support=["paperwork"],
        duration_minutes=90,
    )
    make_visit(world.household_a, world.volunteer_a, topics=["housing"], support=["paperwork", "listening"])


def test_a_coordinator_finds_the_families_that_need_a_visit_and_downloads_the_yearly_report(
    page: Page, live_server, world, log_in
):
    never_visited = Household.objects.create(group=world.group_a, display_name="Familie Maes")
    weeks = world.group_a.visit_interval_weeks
    year = timezone.localdate().year

    log_in(world.coordinator_a)
    expect(page).to_have_url(f"{live_server.url}{DASHBOARD_URL}")
    expect(heading(page)).to_have_text("Schakel Brugge")
    needs_visit = page.get_by_role("region", name="1 gezin heeft een bezoek nodig")
    expect(needs_visit.get_by_role("link", name="Familie Maes")).to_be_visible()
    expect(needs_visit).not_to_contain_text("Familie Peeters")

    tile = page.get_by_role("list", name="Wat aandacht vraagt").get_by_role(
        "link", name=re.compile("zonder recent bezoek")
    )
    # One family: singular (issue #12, plain correct Dutch).
    expect(tile).to_have_text(re.compile(r"^\s*1\s+gezin zonder recent bezoek\s*$"))
    tile.click()

    expect(page).to_have_url(f"{live_server.url}/g/brugge/households/?no_contact_weeks={weeks}&status=active")
    expect(heading(page)).to_have_text("Gezinnen")
    expect(page.get_by_role("status")).to_have_text("1 gezin")
    expect(page.get_by_role("link", name=re.compile("Familie Maes"))).to_have_attribute(
        "href", f"/g/brugge/households/{never_visited.pk}/"
    )
    expect(page.get_by_role("link", name=re.compile("Familie Peeters"))).to_have_count(0)

    page.get_by_role("navigation", name="Groep").get_by_role("link", name="Start").click()
    page.get_by_role("link", name="Jaarverslag", exact=True).click()
    expect(heading(page)).to_have_text("Jaarverslag")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als Excel (XLSX)").click()
    download = download_info.value

    assert download.failure() is None
    # This year, counted up to today (Period.so_far): the file names the days it counts.
    today = timezone.localdate()
    assert download.suggested_filename == f"jaarverslag-brugge-{year}0101-{today:%Y%m%d}.xlsx"
    assert download.suggested_filename.endswith(".xlsx")
    # openpyxl goes by the file name's extension, which Playwright's temporary file lacks.
    workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    rows = list(workbook["Jaarverslag"].iter_rows(values_only=True))
    workbook.close()
    assert rows[0] == ("Onderdeel", "Omschrijving", "Aantal")
    assert ("Periode", f"01/01/{year} – {today:%d/%m/%Y}") in [row[:2] for row in rows]
    # Only Familie Peeters was visited (today); Familie Maes was registered but never visited.
    assert ("Gezinnen", "bereikte gezinnen", 1) in rows
    assert ("Gezinnen", "nieuwe gezinnen", 2) in rows
    assert ("Contacten", "alle contacten", 1) in rows


def test_the_dashboard_with_its_chart_tables_open_is_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    visits_with_topics(world)
    log_in(world.coordinator_a)
    expect(page.get_by_role("heading", name="Activiteit van de laatste 12 maanden")).to_be_visible()
    expect(page.locator('svg[role="img"]')).to_have_count(3)
    open_chart_tables(page)
    volunteers = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Vrijwilliger"))
    expect(volunteers.get_by_role("row", name=re.compile("Arne Vrijwilliger"))).to_contain_text("3")

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_volunteer_home_is_accessible(page: Page, world, log_in, assert_accessible, csp_violations):
    log_in(world.volunteer_a)
    expect(heading(page)).to_have_text("Mijn gezinnen")
    expect(page.get_by_role("list", name="Mijn gezinnen")).to_contain_text("Familie Peeters")
    expect(page.get_by_role("region", name="Mijn actiepunten")).to_contain_text("Brief OCMW nalezen")
    # The coordinator's figures are not for volunteers.
    expect(page.get_by_role("list", name="Wat aandacht vraagt")).to_have_count(0)
    expect(page.locator("svg")).to_have_count(0)

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_yearly_report_and_its_period_error_are_accessible(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    visits_with_topics(world)
    log_in(world.coordinator_a)
    page.goto(REPORT_URL)
    expect(heading(page)).to_have_text("Jaarverslag")
    expect(page.get_by_role("link", name="Download als CSV")).to_be_visible()
    open_chart_tables(page)
    assert_page_is_sound(page, assert_accessible, csp_violations)

    year = timezone.localdate().year
    page.get_by_label("Van").fill(f"{year}-06-01")
    page.get_by_label("Tot en met").fill(f"{year}-05-31")
    page.get_by_role("button", name="Toon").click()

    expect(page.get_by_text(BAD_PERIOD)).to_be_visible()
    expect(page.get_by_label("Tot en met")).to_have_attribute("aria-invalid", "true")
    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_signals_report_is_accessible(page: Page, world, log_in, assert_accessible, csp_violations):
    log_in(world.coordinator_a)
    page.get_by_role("link", name="Signalenrapport").click()
    expect(heading(page)).to_have_text("Signalenrapport")
    expect(page.get_by_text("Signalen samen: 1")).to_be_visible()
    expect(
        page.get_by_role("table", name="Per instantie").get_by_role("row", name=re.compile("OCMW"))
    ).to_contain_text("1")

    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_staff_figures_are_accessible_and_their_wide_table_scrolls_on_its_own(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    world.outsider.is_staff = True
    world.outsider.save(update_fields=["is_staff"])
    log_in(world.outsider)
    page.get_by_role("banner").get_by_text("Menu").click()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Cijfers").click()

    expect(heading(page)).to_have_text("Cijfers: Vlaanderen en Brussel")
    together = page.get_by_role("region", name="Samen")
    # Two families were reached (one in Brugge, one in Genk): too few to show.
    expect(together.locator("dd").first).to_have_text("×")
    scroller = page.locator(".table-scroll").first  # the per-group table; the activity tables follow
    expect(scroller.get_by_role("row", name=re.compile("Schakel Genk"))).to_be_visible()
    # The table is wider than the phone: it scrolls inside its container, the page does not.
    widths = scroller.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1], f"the figures table fits in {widths[1]} px: nothing to scroll"
    assert_page_is_sound(page, assert_accessible, csp_violations)

    page.get_by_role("navigation", name="Regio’s").get_by_role("link", name="West-Vlaanderen").click()
    expect(heading(page)).to_have_text("Cijfers: West-Vlaanderen")
    expect(page.get_by_role("row", name=re.compile("Schakel Genk"))).to_have_count(0)
    assert_page_is_sound(page, assert_accessible, csp_violations)

    page.get_by_role("navigation", name="Regio’s").get_by_role("link", name="Signalenrapport").click()
    expect(page).to_have_url(re.compile(r"/staff/signals/$"))
    expect(heading(page)).to_have_text("Signalenrapport")
    expect(page.get_by_text("Signalen samen: ×")).to_be_visible()
    assert_page_is_sound(page, assert_accessible, csp_violations)


def test_the_yearly_report_prints_its_charts_without_the_navigation(page: Page, world, log_in):
    visits_with_topics(world)
    log_in(world.coordinator_a)
    page.goto(REPORT_URL)
    charts = page.locator('svg[role="img"]')
    expect(charts).to_have_count(5)

    page.emulate_media(media="print")

    expect(page.get_by_role("navigation", name="Groep")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Account")).to_be_hidden()
    expect(page.get_by_role("link", name="Download als Excel (XLSX)")).to_be_hidden()
    expect(page.get_by_role("button", name="Toon")).to_be_hidden()
    expect(heading(page)).to_be_visible()
    for chart in charts.all():
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 20, box
    # On paper nobody can unfold "Toon als tabel": the data tables print open.
    for table in page.locator("details.chart-data table").all():
        expect(table).to_be_visible()
    expect(page.locator("details.chart-data > summary").first).to_be_hidden()


def test_every_dashboard_chart_is_named_by_its_caption_and_followed_by_a_table_of_its_numbers(
    page: Page, world, log_in
):
    visits_with_topics(world)
    log_in(world.coordinator_a)
    svgs = page.locator('svg[role="img"]')
    expect(svgs).to_have_count(3)

    charts = page.evaluate(CHARTS)
    for svg, chart in zip(svgs.all(), charts, strict=True):
        assert chart["caption"], f"a chart without a caption: {chart}"
        expect(svg).to_have_accessible_name(chart["caption"])
        assert chart["rows"], f"no table after the chart {chart['caption']!r}"

    months, topics, support = charts
    assert months["caption"] == "Contacten per maand, de laatste 12 maanden (samen 3)"
    # The month chart writes a value above non-empty columns only; the table has every month.
    # Under a column the month's initial, after its full name as the tooltip (<title>).
    assert [label + label[0].upper() for label, _ in months["rows"]] == months["labels"]
    assert [value for _, value in months["rows"] if value != "0"] == months["values"] == ["3"]

    assert topics["caption"] == "Onderwerpen van de contacten"
    assert_bars_match_table(topics)
    assert topics["rows"][:2] == [["wonen", "2"], ["inkomen & schulden", "1"]]
    assert support["caption"] == "Praktische hulp"
    assert_bars_match_table(support)
    assert support["rows"][:2] == [["papierwerk", "2"], ["luisterend oor", "1"]]


def assert_bars_match_table(chart: dict) -> None:
    """The bars drawn are the table's non-zero rows, in its order, with bars as long as their numbers;
    the table also lists what counted zero."""
    drawn = list(zip(chart["labels"], chart["values"], strict=True))
    assert drawn == [(label, value) for label, value in chart["rows"] if value != "0"], chart
    assert len(chart["rows"]) > len(drawn), f"the table of {chart['caption']!r} leaves out the zero rows"
    numbers = [int(value) for _, value in drawn]
    longest = chart["widths"][numbers.index(max(numbers))]
    assert chart["widths"] == pytest.approx([longest * n / max(numbers) for n in numbers], abs=0.01), chart


def test_the_activity_figures_fit_a_phone_and_stay_a_table(page: Page, world, log_in):
    """At 360 px the activity figures and their definitions stack row by row (one line each made a
    table of 2,000 px): not a pixel to scroll sideways, on the dashboard and in the yearly report,
    and still a table with row and column headers for a screen reader."""
    log_in(world.coordinator_a)
    for url in (DASHBOARD_URL, REPORT_URL):
        page.goto(url)
        scrollers = page.locator(".activity-figures .table-scroll")
        widths = scrollers.evaluate_all("(els) => els.map((el) => [el.scrollWidth, el.clientWidth])")
        assert widths and all(scroll <= client for scroll, client in widths), (url, widths)

        table = page.get_by_role("table", name="Groepsactiviteiten")
        expect(table.get_by_role("columnheader")).to_have_text(["Omschrijving", "Aantal", "Definitie"])
        row = table.get_by_role("row", name=re.compile("^groepsactiviteiten"))
        expect(row.get_by_role("rowheader")).to_have_text("groepsactiviteiten")
        expect(row.get_by_role("cell")).to_have_count(2)
        # Chromium's own accessibility tree, which a screen reader reads: a table, not a layout.
        tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
        roles = {(n["role"]["value"], n.get("name", {}).get("value")) for n in tree if not n.get("ignored")}
        assert ("table", "Groepsactiviteiten") in roles, url
