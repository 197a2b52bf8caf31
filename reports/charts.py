"""Geometry for the server-rendered SVG charts: the coordinates templates draw with.

SVG, not a JavaScript library: nothing to download, nothing the Content-Security-Policy has
to allow, and it prints. Every chart is followed by its data as a table."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from groups.formats import month_abbreviation

ROW = 12  # height of one horizontal bar's row, label included (viewBox units)
BAR_MAX = 90  # length of the longest horizontal bar (the chart is 120 wide: room for the value)
COLUMN_AREA = 40  # height of the tallest month column
COLUMN_BASE = 46  # y of the columns' baseline


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_y: float
    # The label under a month column: the month's initial ("A" for "aug."), so that twelve
    # labels fit under twelve columns on a phone; the table under the chart has `label`.
    tick: str = ""

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)

    @cached_property
    def svg(self) -> dict[str, str]:
        """The coordinates as the SVG attributes write them: two decimals, a point, whatever the
        language (what `floatformat:'2u'` gave, formatted once here instead of in the template)."""
        return {
            "x": f"{self.x:.2f}",
            "y": f"{self.y:.2f}",
            "width": f"{self.width:.2f}",
            "height": f"{self.height:.2f}",
            "center": f"{self.center:.2f}",
            "label_y": f"{self.label_y:.2f}",
        }


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: float

    def __bool__(self) -> bool:
        return any(bar.value for bar in self.bars)

    @property
    def svg_height(self) -> str:
        return f"{self.height:.0f}"


def horizontal(rows: list[tuple[str, int]]) -> Chart:
    """Bars for (label, value) rows, largest first: label on top, bar below, value after it."""
    rows = sorted(rows, key=lambda row: -row[1])
    largest = max((value for _, value in rows), default=0) or 1
    bars = [
        Bar(
            label=label,
            value=value,
            x=0,
            y=i * ROW + 7,
            width=round(BAR_MAX * value / largest, 2),
            height=3,
            label_y=i * ROW + 5.5,
        )
        for i, (label, value) in enumerate(rows)
    ]
    # Zero rows are left out of the drawing (they sort last), not out of the table below it.
    drawn = sum(1 for bar in bars if bar.value)
    return Chart(bars=bars, height=max(drawn, 1) * ROW)


def columns(rows: list[tuple[date, int]]) -> Chart:
    """Month columns, oldest first, in a chart 100 wide and 56 high. A column is 8.3 wide and a
    label 3.6 high: "aug." and "sep." side by side touch, their initials do not."""
    largest = max((value for _, value in rows), default=0) or 1
    step = 100 / max(len(rows), 1)
    bars = []
    for i, (month, value) in enumerate(rows):
        height = round(COLUMN_AREA * value / largest, 2)
        label = month_abbreviation(month.month)
        bars.append(
            Bar(
                label=label,
                tick=label[:1].upper(),
                value=value,
                x=round(i * step + step * 0.15, 2),
                y=round(COLUMN_BASE - height, 2),
                width=round(step * 0.7, 2),
                height=height,
                label_y=53,
            )
        )
    return Chart(bars=bars, height=56)
