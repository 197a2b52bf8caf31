"""What a journey costs a slow phone user: taps, typed characters, screens scrolled, pages.

`Effort` walks a page the way a person does: before every tap it scrolls (and counts the
distance) only when the target is not yet in view, then taps; text is typed after a tap on its
field. Every page load (a navigation of the main frame) is counted with its load time as the
browser measured it (Navigation Timing's loadEventEnd).

The slow-user model of issue #12 turns that into seconds: 2.5 s a tap, 1 s a typed character,
1.5 s a swipe of one screen (the viewport's height), and 3 s to take in each new page plus the
time it took to load.
"""

from dataclasses import dataclass, field

from playwright.sync_api import Locator, Page

SECONDS_PER_TAP = 2.5
SECONDS_PER_CHARACTER = 1.0
SECONDS_PER_SCREEN = 1.5
SECONDS_PER_PAGE = 3.0
# A sticky "Opslaan" bar and the browser's own chrome hide the bottom of the screen: a target
# counts as in view only above this margin.
BOTTOM_MARGIN_PX = 90
TOP_MARGIN_PX = 8

_SCROLL_INTO_VIEW = """([element, top, bottom]) => {
  const rect = element.getBoundingClientRect();
  let delta = 0;
  if (rect.bottom > window.innerHeight - bottom) delta = rect.bottom - (window.innerHeight - bottom);
  if (rect.top - delta < top) delta = rect.top - top;
  const before = window.scrollY;
  window.scrollBy(0, delta);
  return Math.abs(window.scrollY - before);
}"""


@dataclass
class Effort:
    page: Page
    taps: int = 0
    characters: int = 0
    scrolled_px: float = 0
    pages: int = 0
    load_seconds: float = 0
    log: list[str] = field(default_factory=list)

    def start(self, url: str) -> None:
        """Open the journey's first page: it counts as one page the person takes in."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.goto(url)
        self._count_page()

    def tap(self, target: Locator, *, navigates: bool = False) -> None:
        target.wait_for(state="attached")
        self.scrolled_px += target.evaluate(
            f"(element) => ({_SCROLL_INTO_VIEW})([element, {TOP_MARGIN_PX}, {BOTTOM_MARGIN_PX}])"
        )
        self.taps += 1
        self.log.append(f"tap {target}")
        if navigates:
            with self.page.expect_navigation(wait_until="load"):
                target.click()
            self._count_page()
        else:
            target.click()

    def type_into(self, target: Locator, text: str) -> None:
        """Tap the field, then type: one tap and len(text) characters."""
        self.tap(target)
        self.page.keyboard.type(text)
        self.characters += len(text)

    def _count_page(self) -> None:
        self.pages += 1
        milliseconds = self.page.evaluate(
            "() => { const [n] = performance.getEntriesByType('navigation'); return n ? n.loadEventEnd : 0; }"
        )
        self.load_seconds += milliseconds / 1000

    @property
    def viewport_height(self) -> int:
        viewport = self.page.viewport_size
        assert viewport is not None
        return viewport["height"]

    @property
    def swipes(self) -> float:
        return self.scrolled_px / self.viewport_height

    @property
    def effort_seconds(self) -> float:
        """The model's time without the measured load time: what the person does, which does
        not depend on how busy the test machine is (tests assert this, never wall-clock time)."""
        return (
            self.taps * SECONDS_PER_TAP
            + self.characters * SECONDS_PER_CHARACTER
            + self.swipes * SECONDS_PER_SCREEN
            + self.pages * SECONDS_PER_PAGE
        )

    @property
    def model_seconds(self) -> float:
        """The slow-user model's time, the measured load time included: printed, not asserted."""
        return self.effort_seconds + self.load_seconds

    def report(self, name: str) -> str:
        line = (
            f"{name}: {self.taps} taps, {self.characters} characters, {self.swipes:.2f} swipes "
            f"({self.scrolled_px:.0f} px), {self.pages} pages (load {self.load_seconds:.2f} s) "
            f"= {self.model_seconds:.1f} s in the slow-user model"
        )
        print(line)
        return line
