"""Small-cell protection for every figure staff see: one mechanism for every staff table.

A count of 1 to 4 could point at a family, so it is hidden (primary suppression). Hiding it is
not enough when the table also shows a total: total minus the visible cells gives it back. So
every *line* (a total and the parts that add up to it: groups in a region, regions in the
country, months in a quarter, quarters in a year, kinds of contact in all contacts, adults and
children in all persons) is checked, and more cells are hidden (complementary suppression) until
in every line either nothing is hidden, or at least two parts are hidden and they add up to at
least SMALL_CELL, or the total is hidden together with at least one part. Derived figures
(volunteer hours) are hidden wherever the count they come from is hidden, and protected the same
way. Every hidden cell is shown alike (HIDDEN), so that nobody can tell a small count from a
complementary one.

Staff choose whole months, quarters or years only, and a cell of a month is protected together
with its quarter and year (`protect_over_year`), so two overlapping periods cannot be
subtracted either. The function is deterministic: a region's figures are the same on the
national page and on the region's own page, so national minus region gives nothing away.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from reports.figures import Period

SMALL_CELL = 5
HIDDEN = "×"


@dataclass(frozen=True)
class Line:
    """`total` is the sum of `parts` (keys of the cells). `min_sum`: what the hidden parts of a
    line must at least add up to (SMALL_CELL for counts; 0 for hours, where two hidden parts suffice)."""

    total: Hashable
    parts: tuple[Hashable, ...]
    min_sum: float = SMALL_CELL


def protect(
    cells: Mapping[Any, float],  # any hashable keys
    lines: Iterable[Line],
    *,
    primary: Iterable[Hashable] | None = None,
) -> set[Hashable]:
    """The keys of `cells` to hide.

    `primary`: the cells that must be hidden to begin with; by default every count from 1 to
    SMALL_CELL - 1. Then, line by line until nothing changes, the smallest visible non-zero part
    (or, when there is none, the total) is hidden where a line would give a hidden cell away.
    Only ever adds: it always ends.
    """
    lines = [line for line in lines if line.total in cells]
    if primary is None:
        hidden = {key for key, value in cells.items() if 0 < value < SMALL_CELL}
    else:
        hidden = set(primary) & cells.keys()
    changed = True
    while changed:
        changed = False
        for line in lines:
            parts = [p for p in line.parts if p in cells]
            hidden_parts = [p for p in parts if p in hidden]
            total_hidden = line.total in hidden
            if not hidden_parts and not total_hidden:
                continue
            if total_hidden:
                if hidden_parts or not parts:
                    continue
                # total = the sum of the visible parts: hide one part too.
                hidden.add(_smallest(parts, cells))
                changed = True
                continue
            if len(hidden_parts) >= 2 and sum(cells[p] for p in hidden_parts) >= line.min_sum:
                continue
            visible = [p for p in parts if p not in hidden]
            hidden.add(_smallest(visible, cells) if visible else line.total)
            changed = True
    return hidden


def _smallest(keys: list[Hashable], cells: Mapping[Hashable, float]) -> Hashable:
    # A non-zero cell protects (a hidden 0 adds nothing to the unknown sum); then the smallest,
    # so that as little as possible is hidden; ties by key for a stable result.
    return min(keys, key=lambda k: (cells[k] == 0, cells[k], repr(k)))


def shown(value, is_hidden: bool):
    """What a cell displays."""
    return HIDDEN if is_hidden else value


# --- Whole periods of a year ---------------------------------------------------------------

MONTHS = tuple(f"m{m}" for m in range(1, 13))
QUARTERS = tuple(f"q{q}" for q in range(1, 5))
YEAR = "y"


def period_code(start: date, end: date) -> str:
    """'y', 'q1'..'q4' or 'm1'..'m12' for a whole calendar period; ValueError for anything else."""
    for code in (YEAR, *QUARTERS, *MONTHS):
        p = calendar_period(start.year, code)
        if (p.start, p.end) == (start, end):
            return code
    raise ValueError(f"{start}..{end} is not a whole month, quarter or year")


def calendar_period(year: int, code: str) -> Period:
    """The Period of a code of `period_code` in `year`."""
    if code == YEAR:
        return Period.year(year)
    if code.startswith("q"):
        q = int(code[1:])
        first = date(year, 3 * q - 2, 1)
        last_month = 3 * q
    else:
        first = date(year, int(code[1:]), 1)
        last_month = first.month
    end = date(year + (last_month == 12), last_month % 12 + 1, 1)
    return Period(first, end - timedelta(days=1))


def protect_over_year(
    monthly: Mapping[Hashable, list[float]],
    sums: Iterable[tuple[Hashable, Iterable[Hashable]]] = (),
    *,
    min_sum: float = SMALL_CELL,
    primary: Iterable[tuple[Hashable, str]] | None = None,
) -> tuple[dict[tuple[Hashable, str], float], set[tuple[Hashable, str]]]:
    """Protect figures that add up over time, for every month, quarter and the year together.

    `monthly[key]` holds twelve values (January first) of a figure that adds up over time
    (contacts, hours, signals; not 'families reached'). `sums`: (total key, part keys) where the
    total is the sum of the parts in every period (a region and its groups). Returns the cells,
    keyed by (key, period code), and the hidden ones.
    """
    cells: dict[tuple[Hashable, str], float] = {}
    for key, values in monthly.items():
        for i, month in enumerate(MONTHS):
            cells[(key, month)] = values[i]
        for q, quarter in enumerate(QUARTERS):
            cells[(key, quarter)] = sum(values[3 * q : 3 * q + 3])
        cells[(key, YEAR)] = sum(values)
    lines: list[Line] = []
    for key in monthly:
        for q, quarter in enumerate(QUARTERS):
            lines.append(Line((key, quarter), tuple((key, m) for m in MONTHS[3 * q : 3 * q + 3]), min_sum))
        lines.append(Line((key, YEAR), tuple((key, q) for q in QUARTERS), min_sum))
        lines.append(Line((key, YEAR), tuple((key, m) for m in MONTHS), min_sum))
    for total, parts in sums:
        parts = tuple(parts)
        for period in (*MONTHS, *QUARTERS, YEAR):
            lines.append(Line((total, period), tuple((p, period) for p in parts), min_sum))
    return cells, cast(set[tuple[Hashable, str]], protect(cells, lines, primary=primary))
