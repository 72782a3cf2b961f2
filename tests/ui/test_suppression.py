import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prevent_portal.ui.suppression import (
    SUPPRESSED_LABEL,
    Cell,
    change,
    percentage,
    suppress_count,
    suppress_table,
)

# Tables of counts where small numbers are common: 0-12, 1 to 6 rows, 1 to 6 columns.
counts = st.integers(min_value=0, max_value=12)
tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=6)
)


def all_cells(table):
    cells = [cell for row in table.rows for cell in row]
    cells += table.row_totals or []
    cells += table.column_totals or []
    if table.grand_total is not None:
        cells.append(table.grand_total)
    return cells


def lines(table):
    """Each row and column with its total: (interior cells, total cell)."""
    result = []
    if table.row_totals is not None:
        for row, total in zip(table.rows, table.row_totals, strict=True):
            result.append((row, total))
        if table.column_totals is not None:
            result.append((table.column_totals, table.grand_total))
    if table.column_totals is not None:
        for c, total in enumerate(table.column_totals):
            result.append(([row[c] for row in table.rows], total))
        if table.row_totals is not None:
            result.append((table.row_totals, table.grand_total))
    return result


def test_counts_one_to_four_read_fewer_than_five_and_zero_reads_zero():
    assert [suppress_count(n).display for n in (0, 1, 4, 5, 12)] == [
        "0",
        SUPPRESSED_LABEL,
        SUPPRESSED_LABEL,
        "5",
        "12",
    ]


def test_a_lone_small_cell_in_a_row_takes_the_next_smallest_with_it():
    table = suppress_table([[3, 9, 7, 0]], column_totals=False)
    assert [cell.display for cell in table.rows[0]] == [SUPPRESSED_LABEL, "9", "withheld", "0"]
    assert table.row_totals[0].display == "19"


def test_a_column_with_no_other_non_zero_cell_hides_its_total():
    table = suppress_table([[3, 7], [0, 0]])
    assert table.rows[0][0].suppressed and table.rows[0][1].suppressed
    assert table.column_totals[0].suppressed and table.column_totals[1].suppressed
    assert table.grand_total.display == "10"


def test_percentages_need_a_denominator_of_ten_and_an_unsuppressed_part():
    assert percentage(Cell(5), Cell(9)) is None
    assert percentage(Cell(5), Cell(10)) == "50%"
    assert percentage(suppress_count(3), Cell(20)) is None


def test_no_change_is_given_for_a_suppressed_year():
    assert change(Cell(12), Cell(7)) == 5
    assert change(suppress_count(2), Cell(7)) is None
    assert change(Cell(7), suppress_count(2)) is None


def test_negative_and_ragged_input_is_refused():
    with pytest.raises(ValueError):
        suppress_table([[1, -1]])
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])


@given(tables, st.booleans(), st.booleans())
def test_no_displayed_cell_reveals_a_count_of_one_to_four(rows, row_totals, column_totals):
    table = suppress_table(rows, row_totals=row_totals, column_totals=column_totals)
    for cell in all_cells(table):
        if not cell.suppressed:
            assert not 1 <= int(cell.display) <= 4
        else:
            assert cell.display in (SUPPRESSED_LABEL, "withheld")
            assert str(cell.value) not in cell.display


@given(tables, st.booleans(), st.booleans())
def test_no_line_with_a_total_has_exactly_one_suppressed_entry(rows, row_totals, column_totals):
    """So no suppressed value is the total minus the displayed cells of its line."""
    table = suppress_table(rows, row_totals=row_totals, column_totals=column_totals)
    for interior, total in lines(table):
        hidden = [cell for cell in [*interior, total] if cell.suppressed]
        assert len(hidden) != 1
        if not total.suppressed and len(hidden) >= 2:
            # What subtraction gives is the sum of two or more hidden cells, never one.
            shown = sum(cell.value for cell in interior if not cell.suppressed)
            assert total.value - shown == sum(cell.value for cell in hidden)


@given(tables)
def test_totals_add_up_and_zeros_are_never_hidden(rows):
    table = suppress_table(rows)
    assert [cell.value for cell in table.row_totals] == [sum(row) for row in rows]
    assert table.grand_total.value == sum(map(sum, rows))
    for cell in all_cells(table):
        if cell.value == 0:
            assert cell.display == "0"


@given(counts, counts)
def test_a_percentage_never_uses_a_small_denominator(part, whole):
    whole_cell = suppress_count(part + whole)
    result = percentage(suppress_count(part), whole_cell)
    if part + whole < 10 or 1 <= part <= 4:
        assert result is None
    else:
        assert result is not None


# --------------------------------------------------------------------------------------
# Cross-tabulations: what a reader can work out from the cells and the margins together
# --------------------------------------------------------------------------------------

crosstabs = st.integers(min_value=2, max_value=5).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(min_value=0, max_value=9), min_size=width, max_size=width),
        min_size=2,
        max_size=5,
    )
)


def _grid(table):
    """The extended grid of cells: the interior, the totals column, the totals row."""
    grid = [[*row, total] for row, total in zip(table.rows, table.row_totals, strict=True)]
    grid.append([*table.column_totals, table.grand_total])
    return grid


def _equations(grid):
    """Each row and column of the extended grid: its entries less its total make 0."""
    height, width = len(grid) - 1, len(grid[0]) - 1
    lines = [([(r, c) for c in range(width)], (r, width)) for r in range(height + 1)]
    lines += [([(r, c) for r in range(height)], (height, c)) for c in range(width + 1)]
    return lines


def _worked_out(grid):
    """Hidden cells a reader can compute exactly from what is shown (numpy rank test:
    the cell's unit vector adds nothing to the rank of the equations on hidden cells)."""
    hidden = [(r, c) for r, row in enumerate(grid) for c, cell in enumerate(row) if cell.suppressed]
    if not hidden:
        return []
    column = {position: i for i, position in enumerate(hidden)}
    rows = []
    for interior, total in _equations(grid):
        row = np.zeros(len(hidden))
        for position in interior:
            if position in column:
                row[column[position]] += 1
        if total in column:
            row[column[total]] -= 1
        rows.append(row)
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for position, i in column.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(position)
    return found


def _pinned_within_a_line(grid):
    """Hidden cells that one line and the labels pin to a single value: the hidden part of
    a line with a shown total is known, and each hidden cell is 1–4 or 5 and over."""
    pinned = []
    for interior, (tr, tc) in _equations(grid):
        total = grid[tr][tc]
        if total.suppressed:
            continue
        cells = [(position, grid[position[0]][position[1]]) for position in interior]
        hidden = [(position, cell) for position, cell in cells if cell.suppressed]
        rest = total.value - sum(cell.value for _p, cell in cells if not cell.suppressed)

        def low(cell):
            return 1 if cell.display == SUPPRESSED_LABEL else 5

        def high(cell, rest=rest):
            return 4 if cell.display == SUPPRESSED_LABEL else rest

        for position, cell in hidden:
            others = [other for p, other in hidden if p != position]
            most = min(high(cell), rest - sum(low(other) for other in others))
            least = max(low(cell), rest - sum(high(other) for other in others))
            if most <= least:
                pinned.append(position)
    return pinned


def test_two_ones_in_a_line_take_a_third_cell_with_them():
    """1 and 1 shown as "fewer than 5" next to a total would add up to 2: both are 1."""
    table = suppress_table([[1, 1, 10]], column_totals=False)
    assert [cell.suppressed for cell in table.rows[0]] == [True, True, True]


def test_fewer_than_five_and_a_withheld_five_take_a_third_cell_with_them():
    """ "fewer than 5" + "withheld" = 6 could only be 1 + 5."""
    table = suppress_table([[1, 5, 9]], column_totals=False)
    assert all(cell.suppressed for cell in table.rows[0])


def test_a_cell_linking_two_hidden_blocks_is_not_left_to_subtraction():
    """Two blocks of hidden cells joined by one hidden cell: every line has two or more
    hidden entries, yet rows and columns together give the joining cell away."""
    counts = [
        [1, 2, 0, 0, 30],
        [2, 1, 3, 0, 30],
        [0, 0, 1, 2, 30],
        [0, 0, 2, 1, 30],
        [30, 30, 30, 30, 30],
    ]
    table = suppress_table(counts)
    assert _worked_out(_grid(table)) == []


@settings(max_examples=300, deadline=None)
@given(crosstabs)
def test_no_hidden_cell_of_a_crosstab_can_be_worked_out_from_the_margins(rows):
    grid = _grid(suppress_table(rows))
    assert _worked_out(grid) == []


@settings(max_examples=300, deadline=None)
@given(crosstabs)
def test_no_hidden_cell_of_a_crosstab_is_pinned_by_its_labels_and_a_total(rows):
    grid = _grid(suppress_table(rows))
    assert _pinned_within_a_line(grid) == []


@settings(max_examples=200, deadline=None)
@given(crosstabs)
def test_a_crosstab_shows_no_count_of_one_to_four_and_keeps_its_values(rows):
    table = suppress_table(rows)
    grid = _grid(table)
    for row in grid:
        for cell in row:
            assert cell.suppressed or not 1 <= cell.value <= 4
    assert [[cell.value for cell in row] for row in table.rows] == rows
