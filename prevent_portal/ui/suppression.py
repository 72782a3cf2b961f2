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

A reader of a cross-tabulation can do more than subtract within one line. Two further
checks run until neither finds anything, each hiding the next smallest cell of a line
(or its total) when it does:

- the labels bound what is hidden ("fewer than 5" is 1 to 4, "withheld" is 5 or more):
  two hidden cells of 1 in a line whose hidden part adds up to 2, or "fewer than 5" and
  "withheld" adding up to 6, are 1 and 1, or 1 and 5. Bounds are narrowed line by line
  (`_narrowed`); no hidden cell may be left with a single possible value;
- the lines together are a set of linear equations: no hidden cell may be worked out by
  adding and subtracting rows and columns (`_determined`, exact arithmetic).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

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
            _hide_next(grid, hidden, (interior, total))
            changed = True
        if changed:
            continue
        # Only once no line has a lone hidden entry: the bounds, then the equations.
        exposed = _narrowed(grid, hidden, lines) or _determined(grid, hidden, lines)
        if exposed is not None:
            changed = _protect(grid, hidden, lines, exposed)

    def cell(r: int, c: int) -> Cell:
        return Cell(grid[r][c], hidden[r][c])

    return SuppressedTable(
        rows=[[cell(r, c) for c in range(width)] for r in range(height)],
        row_totals=[cell(r, width) for r in range(height)] if row_totals else None,
        column_totals=[cell(height, c) for c in range(width)] if column_totals else None,
        grand_total=cell(height, width) if row_totals and column_totals else None,
    )


Position = tuple[int, int]
Line = tuple[list[Position], Position]


def _hide_next(grid, hidden, line: Line) -> bool:
    """Hide the smallest shown non-zero entry of `line`, or failing that its total.
    False when there is nothing left to hide."""
    interior, total = line
    candidates = [(grid[r][c], r, c) for r, c in interior if not hidden[r][c] and grid[r][c] > 0]
    if candidates:
        _value, r, c = min(candidates)
    elif not hidden[total[0]][total[1]]:
        r, c = total
    else:
        return False
    hidden[r][c] = True
    return True


def _protect(grid, hidden, lines: list[Line], position: Position) -> bool:
    """Hide one more entry of a line through `position`: the line with the fewest hidden
    entries first. If every such line is hidden already, hide every non-zero entry."""
    through = [line for line in lines if position in (*line[0], line[1])]
    through.sort(key=lambda line: sum(hidden[r][c] for r, c in (*line[0], line[1])))
    for line in through:
        if _hide_next(grid, hidden, line):
            return True
    changed = False
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value and not hidden[r][c]:
                hidden[r][c] = changed = True
    return changed


# An upper bound standing for "no limit" on a withheld count.
_UNBOUNDED = float("inf")
# Passes of narrowing: each pass narrows every line once; a few suffice in practice, and
# the equations check below catches what narrowing leaves.
_NARROWING_PASSES = 12


def _narrowed(grid, hidden, lines: list[Line]) -> Position | None:
    """A hidden entry that the labels and the lines pin to one value, or None.

    Each hidden entry starts with what its label says (1 to 4, or 5 and over); each line
    (its entries less its total make 0) then narrows the bounds of its hidden entries
    from the others', pass after pass."""
    bounds = {}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if hidden[r][c]:
                bounds[(r, c)] = (
                    (1, THRESHOLD - 1) if value < THRESHOLD else (THRESHOLD, _UNBOUNDED)
                )
    for _ in range(_NARROWING_PASSES):
        moved = False
        for interior, total in lines:
            signed = [(position, 1) for position in interior] + [(total, -1)]
            known = sum(sign * grid[r][c] for (r, c), sign in signed if not hidden[r][c])
            unknown = [(position, sign) for position, sign in signed if position in bounds]
            if not unknown:
                continue
            for position, sign in unknown:
                # sign * x = -known - (the other hidden entries, signed)
                low = high = -known
                for other, other_sign in unknown:
                    if other == position:
                        continue
                    lo, hi = bounds[other]
                    if other_sign > 0:
                        low, high = low - hi, high - lo
                    else:
                        low, high = low + lo, high + hi
                if sign < 0:
                    low, high = -high, -low
                lo, hi = bounds[position]
                new = (max(lo, low), min(hi, high))
                if new != (lo, hi):
                    bounds[position] = new
                    moved = True
        if not moved:
            break
    for position, (lo, hi) in bounds.items():
        if lo >= hi:
            return position
    return None


def _determined(grid, hidden, lines: list[Line]) -> Position | None:
    """A hidden entry that adding and subtracting lines works out exactly, or None.

    The lines restricted to the hidden entries are equations; an entry is worked out when
    its unit vector is in their row space, which in reduced row echelon form means that
    one row is exactly that unit vector."""
    positions = [
        (r, c) for r, row in enumerate(hidden) for c, is_hidden in enumerate(row) if is_hidden
    ]
    if not positions:
        return None
    index = {position: i for i, position in enumerate(positions)}
    matrix = []
    for interior, total in lines:
        row = [Fraction(0)] * len(positions)
        for position in interior:
            if position in index:
                row[index[position]] += 1
        if total in index:
            row[index[total]] -= 1
        if any(row):
            matrix.append(row)
    pivot_row = 0
    for column in range(len(positions)):
        found = next((i for i in range(pivot_row, len(matrix)) if matrix[i][column]), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for i, row in enumerate(matrix):
            if i != pivot_row and row[column]:
                factor = row[column]
                matrix[i] = [a - factor * b for a, b in zip(row, matrix[pivot_row], strict=True)]
        pivot_row += 1
        if pivot_row == len(matrix):
            break
    for row in matrix[:pivot_row]:
        nonzero = [i for i, value in enumerate(row) if value]
        if len(nonzero) == 1:
            return positions[nonzero[0]]
    return None


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
