import pytest
from hypothesis import given
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
