"""What a phone shows without words, at 360 px: every fold has a marker that changes when it opens,
the scrolling menu row shades the side where more tabs lie, and a ticked attendance box is plain
to see, with the keyboard's focus still visible on it."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

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
  return { text: s.textContent.trim().replace(/\\s+/g, " "), closed, opened };
})"""


def test_every_fold_shows_a_marker_that_changes_when_it_opens(page: Page, world, log_in):
    log_in(world.coordinator_a)
    household = world.household_a.pk
    seen = []
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
    expected = {"Menu", "Toon als tabel", "Meer filters", "Gegevens", "Toelichting en duur", "meer"}
    assert expected | {"Signalen die deze activiteit opneemt"} <= {
        text.split(":")[0].split(" –")[0] for text in seen
    }, seen
