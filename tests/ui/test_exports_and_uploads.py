import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from prevent_portal.ui.exports import csv_response, safe_cell, xlsx_response
from prevent_portal.ui.uploads import UploadError, read_csv


@pytest.mark.parametrize("value", ["=1+2", "+44 1234", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_ordinary_cells_are_left_alone():
    assert safe_cell("Kent Police") == "Kent Police"
    assert safe_cell(None) == ""
    assert safe_cell(12) == "12"


def test_csv_response_neutralises_every_cell():
    response = csv_response("x.csv", ["=head"], [["=cmd()", "plain"]])
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines() == ["'=head", "'=cmd(),plain"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_xlsx_response_keeps_numbers_and_neutralises_text():
    response = xlsx_response("x.xlsx", ["name", "count"], [["=HYPERLINK(1)", 7]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["'=HYPERLINK(1)", 7]
    assert sheet[2][0].data_type == "s"


def test_read_csv_matches_headers_case_insensitively_and_numbers_lines():
    data = b"Date,COURSE\n2026-01-05,Prevent Awareness\n\n2026-01-06,Other\n"
    parsed = read_csv(data, required={"date", "course"})
    assert parsed.header == ["date", "course"]
    assert parsed.rows == [
        (2, {"date": "2026-01-05", "course": "Prevent Awareness"}),
        (4, {"date": "2026-01-06", "course": "Other"}),
    ]


def test_read_csv_reads_windows_1252():
    data = "name\nSt Mary’s Café\n".encode("cp1252")
    parsed = read_csv(data)
    assert parsed.encoding == "cp1252"
    assert parsed.rows[0][1]["name"] == "St Mary’s Café"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The selected file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "must be a CSV"),
        (b"a,b\n1,2\n", "missing the column: date"),
        (b"a,a\n1,2\n", "unique column names"),
        (b"a\n1,2\n", "Line 2: more values"),
        (b"x" * 20, "smaller than"),
    ],
)
def test_read_csv_refuses_bad_files_with_a_clear_message(data, message):
    with pytest.raises(UploadError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv(
            data,
            required={"date"} if b"a,b" in data else set(),
            max_bytes=10 if len(data) == 20 else 1024,
        )


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_read_csv_never_fails_other_than_with_an_upload_error(data):
    try:
        parsed = read_csv(data)
    except UploadError:
        return
    assert all(isinstance(line, int) for line, _row in parsed.rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), (" 42 ", 42), ("1234567", 1234567), ("12345678", None), ("-1", None),
     ("1.5", None), ("²", None), ("٣", None), ("", None), ("1e3", None)],
)  # fmt: skip
def test_parse_whole_number_takes_ascii_digits_only(text, expected):
    from prevent_portal.ui.uploads import parse_whole_number

    assert parse_whole_number(text) == expected
