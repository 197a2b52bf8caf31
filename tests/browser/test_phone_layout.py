"""What every group page looks like at 360 px, page by page from the registry of group URLs:
a table that stacks its rows shows each cell under its column's heading (and a screen reader
still hears the real headers, once), the action of a row is a target of at least 24 × 24 px
(WCAG 2.5.8), nothing looks like a box to tick that is not one, and no two divider lines lie on
top of each other. Then two pages of their own: the attendance sheet, where what a person did
hangs under the person's name, and the login page's "Wachtwoord vergeten?"."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.isolation import GROUP_URLS, _invitation_a
from visits.models import FollowUp
from visits.services import set_follow_up_done

pytestmark = pytest.mark.browser

# Downloads, not pages.
NOT_PAGES = {"reports:report_export", "reports:signals_report_export", "privacy:copy_download"}

# Per table: every body cell that is laid out as a block (stacked) and whose column has a visible
# heading, with the heading, what the cell draws before its value, and its text.
STACKED_CELLS = """() => [...document.querySelectorAll("main table")]
.filter((t) => t.checkVisibility()).flatMap((table) => {
  const visibleText = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll(".visually-hidden").forEach((hidden) => hidden.remove());
    return copy.textContent.trim().replace(/\\s+/g, " ");
  };
  const headings = [...table.querySelectorAll("thead th")].map(visibleText);
  // A table whose header row shows (a table still, or one that stacks its header row too) is fine.
  if (table.tHead?.getBoundingClientRect().width > 1) return [];
  return [...table.querySelectorAll("tbody tr")].flatMap((row) => [...row.children].map((cell, column) => {
    if (getComputedStyle(cell).display !== "block" || cell.colSpan >= headings.length) return null;
    const heading = headings[column] || "";
    if (!heading) return null;
    return { heading, before: getComputedStyle(cell, "::before").content, text: visibleText(cell) };
  })).filter(Boolean);
})"""

# Words of a stacked cell that the layout broke over two lines ("…@exa" / "mple.org"): the value
# has the whole width under its heading, so a word breaks only when it is wider than the screen.
BROKEN_WORDS = """() => [...document.querySelectorAll("main .stack-table td")]
.filter((td) => td.checkVisibility() && getComputedStyle(td).display === "block").flatMap((td) => {
  const broken = [];
  const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    if (node.parentElement.closest(".visually-hidden")) continue;
    for (const word of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      if (lines.size > 1) broken.push(word[0]);
    }
  }
  return broken;
})"""

# Every link and button in a row of a table or a list that is not a sentence: its size. A link
# inside a sentence is exempt (WCAG 2.5.8 "inline"), so is one in a paragraph of more text.
ROW_ACTIONS = """() => [...document.querySelectorAll(
    "main td a, main td button, main td summary, main li > a, main li > button, main li > form button,"
    + "main li > details > summary, main p > a:only-child")]
  .filter((el) => el.checkVisibility() && !el.closest(".visually-hidden"))
  .filter((el) => {
    const row = el.closest("td, li, p");
    const rest = row.textContent.replace(el.textContent, "").replace(/\\s+/g, "");
    return !el.closest("p") || rest.length === 0;
  })
  .map((el) => {
    const box = el.getBoundingClientRect();
    const text = el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
    return { text, width: box.width, height: box.height };
  })
  .filter((box) => box.width < 24 || box.height < 24)"""

# Text that draws a box to tick (☐ ☑ ☒) or a tick (✓ ✔ ✗) outside a form control.
TICK_TEXT = """() => {
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (/[\\u2610-\\u2612\\u2713-\\u2717]/.test(node.textContent) && node.parentElement.checkVisibility()) {
      found.push(node.parentElement.textContent.trim().slice(0, 60));
    }
  }
  return found;
}"""

# Divider lines (a visible top or bottom border of something at least 200 px wide, with no border
# at the sides: not a box) that lie less than a line of text apart over the same stretch, nothing
# between them: two dividers where one was meant.
DOUBLE_LINES = """() => {
  const lines = [];
  for (const el of document.querySelectorAll("main *")) {
    if (!el.checkVisibility()) continue;
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    if (box.width < 200 || style.borderLeftStyle !== "none" || style.borderRightStyle !== "none") continue;
    for (const [side, y] of [["Top", box.top], ["Bottom", box.bottom]]) {
      if (style["border" + side + "Style"] !== "none" && parseFloat(style["border" + side + "Width"]) > 0) {
        const what = el.tagName + "." + el.className + " " + side;
        lines.push({ y: y + window.scrollY, left: box.left, right: box.right, what });
      }
    }
  }
  const doubles = [];
  lines.forEach((a, i) => lines.slice(i + 1).forEach((b) => {
    const apart = Math.abs(a.y - b.y);
    const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    if (apart > 1.5 && apart < 24 && overlap > 100) {
      doubles.push(a.what + " / " + b.what + " (" + apart.toFixed(1) + " px)");
    }
  }));
  return doubles;
}"""


def group_pages(world) -> list[str]:
    """The URL of every page (GET) in the registry of group URLs, for group A."""
    urls = []
    for name, case in GROUP_URLS.items():
        if case.method != "get" or name in NOT_PAGES:
            continue
        urls.append(reverse(name, kwargs={"slug": world.group_a.slug, **case.kwargs(world)}))
    return urls


def test_group_pages_at_phone_width(page: Page, world, log_in):
    # A visit with a done and an open follow-up, a pending invitation, an access log.
    FollowUp.objects.create(
        group=world.group_a,
        household=world.household_a,
        visit=world.visit_a,
        description="Huurbrief bespreken",
        due_date="2026-12-07",
        assignee=world.volunteer_a,
        created_by=world.volunteer_a,
    )
    set_follow_up_done(follow_up=world.follow_up_a, user=world.volunteer_a, done=True)
    _invitation_a(world)
    log_in(world.coordinator_a)
    page.goto(f"/g/brugge/households/{world.household_a.pk}/")  # writes to the access log
    urls = group_pages(world)
    assert len(urls) > 20, urls

    unlabelled, small, ticks, doubles, broken = [], [], [], [], []
    for url in urls:
        page.goto(url)
        # What a fold hides is on the page too.
        page.evaluate("document.querySelectorAll('main details.fold').forEach((d) => { d.open = true; })")
        cells = page.evaluate(STACKED_CELLS)
        unlabelled += [(url, cell) for cell in cells if not cell["before"].startswith(f'"{cell["heading"]}')]
        small += [(url, target) for target in page.evaluate(ROW_ACTIONS)]
        ticks += [(url, text) for text in page.evaluate(TICK_TEXT)]
        doubles += [(url, pair) for pair in page.evaluate(DOUBLE_LINES)]
        broken += [(url, word) for word in page.evaluate(BROKEN_WORDS)]
        # A screen reader reads the cell with its real column header: the drawn label is not in
        # the cell's name as well.
        for cell in page.locator("main td[data-label]").all()[:3]:
            label = cell.get_attribute("data-label") or ""
            name = cell.aria_snapshot().split("\n")[0]
            assert label not in name or label in (cell.text_content() or ""), (url, name)
    problems = {
        "stacked cells without their column's heading": unlabelled,
        "row actions smaller than 24 × 24 px": small,
        "a box or tick as text (looks like something to tick)": ticks,
        "two divider lines on top of each other": doubles,
        "words of a stacked cell broken over two lines": broken,
    }
    report = "\n".join(f"{what}: {found[:8]}" for what, found in problems.items() if found)
    assert not report, report


def test_what_a_person_did_hangs_under_the_persons_name_on_the_attendance_sheet(page: Page, world, log_in):
    """ "hielp organiseren" and "nam het woord" are smaller than the person's own box, indented
    under it and in the same row, so that nobody reads them as two more people; they stay targets
    of at least 24 px, show the ✓ when ticked, and a screen reader hears whose they are."""
    log_in(world.volunteer_a)
    page.goto(reverse("activities:attendance", kwargs={"slug": "brugge", "pk": world.activity_a.pk}))
    person = world.person_a
    name = page.locator(f"label[for='present-{person.pk}']")
    name_box = name.bounding_box()
    assert name_box is not None
    for role, words in (("helped", "hielp organiseren"), ("spoke", "nam het woord")):
        extra = page.locator(f"label[for='{role}-{person.pk}']")
        box = extra.bounding_box()
        assert box is not None
        assert box["x"] >= name_box["x"] + 16, (role, box, name_box)  # indented under the name
        assert box["y"] >= name_box["y"] + name_box["height"], (role, box, name_box)
        assert box["width"] < name_box["width"] and box["height"] <= name_box["height"], (role, box, name_box)
        assert box["width"] >= 24 and box["height"] >= 24, (role, box)
        row = f"document.getElementById('present-{person.pk}').closest('.attendance-row')"
        assert extra.evaluate(f"(el) => el.closest('.attendance-row') === {row}"), role
        # Its accessible name says whose it is.
        expect(page.get_by_role("checkbox", name=re.compile(f"^{words}\\W+{person}$"))).to_have_count(1)
        extra.click()
        assert "✓" in extra.evaluate("(el) => getComputedStyle(el, '::before').content"), role
    # Ticking what someone did ticks them present as well (attendance.js).
    assert page.locator(f"#present-{person.pk}").is_checked()


def test_forgot_password_is_a_target_below_the_password_field(page: Page, db):
    """The password field sits straight under its label; "Wachtwoord vergeten?" comes after the
    field, at least 24 px high, and still describes the field for a screen reader."""
    page.goto("/accounts/login/")
    label = page.locator("label[for=id_password]").bounding_box()
    field = page.locator("#id_password").bounding_box()
    link = page.get_by_role("link", name="Wachtwoord vergeten?")
    forgot = link.bounding_box()
    assert label is not None and field is not None and forgot is not None
    assert field["y"] - (label["y"] + label["height"]) < 12, (label, field)
    assert forgot["y"] >= field["y"] + field["height"], (field, forgot)
    assert forgot["height"] >= 24 and forgot["width"] >= 24, forgot
    expect(page.locator("#id_password")).to_have_accessible_description(re.compile("Wachtwoord vergeten"))
