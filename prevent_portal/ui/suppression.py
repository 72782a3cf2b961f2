"""Small-number suppression for counts about people (docs/security.md §15).

One function for every surface that shows case-derived counts to readers who may not see
the records (board pages, reports, exports):

- a count of 1 to 4 is shown as "fewer than 5"; 0 is shown as 0;
- in every row or column that has a total, no entry may be the only suppressed one (it
  could be recovered by subtracting the others from the total): the next smallest
  non-zero cell is suppressed too (or, when there is none, the total);
- no percentage with a denominator under 10, nor of a suppressed count;
- no year-on-year change for a suppressed cell.

Totals are treated as cells of the table: each row, with its total, is one additive
line; so is each column; the totals row and the totals column meet in the grand total.
"""

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
MIN_DENOMINATOR = 10
SUPPRESSED_LABEL = "fewer than 5"
# A count of 5 or more hidden only to protect a small one next to it.
WITHHELD_LABEL = "withheld"


@dataclass(frozen=True)
class Cell:
    value: int
    suppressed: bool = False

    @property
    def display(self) -> str:
        if not self.suppressed:
            return str(self.value)
        return SUPPRESSED_LABEL if self.value < THRESHOLD else WITHHELD_LABEL

    def __str__(self) -> str:
        return self.display


@dataclass
class SuppressedTable:
    rows: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: Cell | None


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def suppress_count(value: int) -> Cell:
    """A single count, on its own (no total to protect)."""
    if value < 0:
        raise ValueError("counts are never negative")
    return Cell(value, is_small(value))


def suppress_table(
    counts: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = True
) -> SuppressedTable:
    """Suppress a table of counts, adding the totals asked for.

    `counts` is a list of rows of non-negative integers, all of the same length.
    """
    rows = [list(row) for row in counts]
    if any(value < 0 for row in rows for value in row):
        raise ValueError("counts are never negative")
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row must have the same number of cells")
    height = len(rows)
    if not height:
        return SuppressedTable([], [] if row_totals else None, None, None)

    # The extended grid: interior, then a totals column and a totals row as asked.
    grid = [row[:] for row in rows]
    if row_totals:
        for row in grid:
            row.append(sum(row[:width]))
    if column_totals:
        grid.append(
            [sum(grid[r][c] for r in range(height)) for c in range(len(grid[0]) if grid else 0)]
        )
    ncols = len(grid[0]) if grid else 0
    hidden = [[is_small(value) for value in row] for row in grid]

    # Each line: the interior positions and the position of its total.
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if row_totals:
        for r in range(len(grid)):
            lines.append(([(r, c) for c in range(width)], (r, width)))
    if column_totals:
        for c in range(ncols):
            lines.append(([(r, c) for r in range(height)], (height, c)))

    changed = True
    while changed:
        changed = False
        for interior, total in lines:
            positions = [*interior, total]
            if sum(hidden[r][c] for r, c in positions) != 1:
                continue
            candidates = [
                (grid[r][c], r, c) for r, c in interior if not hidden[r][c] and grid[r][c] > 0
            ]
            if candidates:
                _value, r, c = min(candidates)
            else:
                r, c = total
            hidden[r][c] = True
            changed = True

    def cell(r: int, c: int) -> Cell:
        return Cell(grid[r][c], hidden[r][c])

    return SuppressedTable(
        rows=[[cell(r, c) for c in range(width)] for r in range(height)],
        row_totals=[cell(r, width) for r in range(height)] if row_totals else None,
        column_totals=[cell(height, c) for c in range(width)] if column_totals else None,
        grand_total=cell(height, width) if row_totals and column_totals else None,
    )


def percentage(part: Cell, whole: Cell, *, places: int = 0) -> str | None:
    """`part` as a percentage of `whole`, or None: never with a denominator under 10,
    nor for a suppressed count (the percentage would give it away)."""
    if part.suppressed or whole.suppressed or whole.value < MIN_DENOMINATOR:
        return None
    return f"{100 * part.value / whole.value:.{places}f}%"


def change(current: Cell, previous: Cell) -> int | None:
    """Year-on-year change, or None when either year's count is suppressed."""
    if current.suppressed or previous.suppressed:
        return None
    return current.value - previous.value
