"""What a phone shows without words, at 360 px: every fold has a marker that changes when it opens
(the same for every fold in a page's content),
the scrolling menu row shades the side where more tabs lie, and a ticked attendance box is plain
to see, with the keyboard's focus still visible on it."""

import base64

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

# Every visible <summary>: its text and the marker it shows closed and open. A marker is the
# browser's own (a list-item with a list style) or what the summary draws before or after its text.
MARKERS = """() => [...document.querySelectorAll("summary")].filter((s) => s.checkVisibility()).map((s) => {
  const details = s.parentElement;
  const was = details.open;
  const marker = () => {
    const style = getComputedStyle(s);
    if (style.display === "list-item" && style.listStyleType !== "none") return "native " + details.open;
    return [getComputedStyle(s, "::before").content, getComputedStyle(s, "::after").content]
      .filter((c) => !["none", "normal", '""'].includes(c)).join(" ");
  };
  details.open = false;
  const closed = marker();
  details.open = true;
  const opened = marker();
  details.open = was;
  return { text: s.textContent.trim().replace(/\\s+/g, " "), closed, opened, content: !!s.closest("main") };
})"""


def test_every_fold_shows_a_marker_that_changes_when_it_opens(page: Page, world, log_in):
    log_in(world.coordinator_a)
    household = world.household_a.pk
    seen = []
    content_markers = set()
    for url in [
        "/g/brugge/",  # the header's menu, "Toon als tabel" under the month chart
        "/g/brugge/households/",  # "Meer filters"
        f"/g/brugge/households/{household}/",  # the page's folds and its inline edits
        f"/g/brugge/households/{household}/visits/new/",  # the visit form's parts and "meer"
        reverse("activities:create", kwargs={"slug": "brugge"}),  # an inline edit in a form
    ]:
        page.goto(url)
        for summary in page.evaluate(MARKERS):
            assert summary["closed"] and summary["opened"], f"{url}: no marker on {summary}"
            assert summary["closed"] != summary["opened"], f"{url}: the marker does not change: {summary}"
            seen.append(summary["text"])
            if summary["content"]:
                content_markers.add((summary["closed"], summary["opened"]))
    expected = {"Menu", "Toon als tabel", "Meer filters", "Gegevens", "Toelichting en duur", "meer"}
    assert expected | {"Signalen die deze activiteit opneemt"} <= {
        text.split(":")[0].split(" –")[0] for text in seen
    }, seen
    # One marker for every fold in the page's content, whatever it folds; the header's menu may
    # have its own.
    assert len(content_markers) == 1, content_markers


def shade(page: Page, helper: Page, x: float, y: float) -> float:
    """How dark the screen is at (x, y): 0 for white, 255 for black (a 4 × 3 px patch)."""
    png = page.screenshot(clip={"x": x, "y": y, "width": 4, "height": 3})
    return helper.evaluate(
        """async (b64) => {
          const blob = await (await fetch("data:image/png;base64," + b64)).blob();
          const image = await createImageBitmap(blob);
          const canvas = new OffscreenCanvas(image.width, image.height);
          const context = canvas.getContext("2d");
          context.drawImage(image, 0, 0);
          const data = context.getImageData(0, 0, image.width, image.height).data;
          let sum = 0;
          for (let i = 0; i < data.length; i += 4) sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
          return 255 - sum / (data.length / 4);
        }""",
        base64.b64encode(png).decode(),
    )


def edges(page: Page, helper: Page, row: Locator) -> tuple[float, float]:
    """The shade just inside the row's left and right edge, above the tabs' text."""
    box = row.bounding_box()
    assert box is not None
    y = box["y"] + 2
    return shade(page, helper, box["x"] + 1, y), shade(page, helper, box["x"] + box["width"] - 5, y)


def test_the_menu_row_shades_the_side_where_more_tabs_lie(page: Page, world, log_in):
    """A coordinator's nine tabs do not fit at 360 px: a shadow at the right edge says there are
    more, at the left once scrolled, and none when everything fits (a wide screen)."""
    log_in(world.coordinator_a)
    row = page.locator(".group-nav .scroll-row")
    helper = page.context.new_page()  # decodes the screenshots, outside the app's pages
    try:
        widths = row.evaluate("(el) => [el.scrollWidth, el.clientWidth, el.scrollLeft]")
        assert widths[0] > widths[1] and widths[2] == 0, widths
        left, right = edges(page, helper, row)
        assert left < 3 and right > 20, (left, right)

        row.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
        left, right = edges(page, helper, row)
        assert left > 20 and right < 3, (left, right)

        page.set_viewport_size({"width": 1024, "height": 740})
        assert row.evaluate("(el) => el.scrollWidth <= el.clientWidth")
        left, right = edges(page, helper, row)
        assert left < 3 and right < 3, (left, right)
    finally:
        helper.close()


def test_a_ticked_attendance_box_shows_a_tick_and_keeps_a_visible_focus(page: Page, world, log_in):
    log_in(world.volunteer_a)
    page.goto(reverse("activities:attendance", kwargs={"slug": "brugge", "pk": world.activity_a.pk}))
    box = page.locator(f"#present-{world.person_a.pk}")
    label = page.locator(f"label[for='present-{world.person_a.pk}']")

    def look() -> dict:
        return label.evaluate(
            """(el) => {
              const style = getComputedStyle(el), tick = getComputedStyle(el, "::before");
              return { mark: tick.content, box: tick.backgroundColor, background: style.backgroundColor,
                       border: style.borderColor, outline: style.outlineStyle,
                       outlineWidth: style.outlineWidth, outlineOffset: style.outlineOffset,
                       outlineColor: style.outlineColor,
                       page: getComputedStyle(el.closest("main")).backgroundColor };
            }"""
        )

    # By keyboard, as someone without a touch screen: focus the box, tick it with the space bar.
    box.focus()
    if box.is_checked():  # the world's evening already has this person
        page.keyboard.press("Space")
    expect(box).not_to_be_checked()
    before = look()
    assert "✓" not in before["mark"]
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    ticked = look()
    assert "✓" in ticked["mark"], ticked
    assert ticked["background"] != before["background"] and ticked["box"] != before["box"], (before, ticked)
    # The focus ring is there, around the row on the page (WCAG 2.4.7, 2.4.13: at least 2 px, 3:1
    # against what it covers), and not in the colour a ticked row already has.
    assert ticked["outline"] == "solid" and px(ticked["outlineWidth"]) >= 2, ticked
    assert px(ticked["outlineOffset"]) >= 2 and contrast(ticked["outlineColor"], ticked["page"]) >= 3, ticked
    assert ticked["outlineColor"] not in (ticked["border"], ticked["background"]), ticked


def px(length: str) -> float:
    return float(length.removesuffix("px"))


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two computed colours ("rgb(r, g, b)")."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)
