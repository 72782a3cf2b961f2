"""Reading uploaded CSV files safely: size limit, content check, encoding, header names.

Importers (training sessions, evaluations, education settings, outreach) parse rows
from `read_csv`, validate every row, and write nothing unless every row is good.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# GIAS extracts are published as Windows-1252; spreadsheets often save UTF-8 with a BOM.
ENCODINGS = ("utf-8-sig", "cp1252")


class UploadError(ValueError):
    """A file that cannot be read at all: the message is shown to the user as it is."""


class ImportRowsError(Exception):
    """The file has bad rows: nothing was imported. `errors` is [(line number, message)]."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(f"{len(errors)} row(s) have errors")
        self.errors = errors


@dataclass
class CsvFile:
    header: list[str]  # lower-cased, stripped header names
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, row by header)
    sha256: str
    encoding: str
    original_header: list[str] = field(default_factory=list)


def read_csv(
    data: bytes,
    *,
    required: set[str] = frozenset(),
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> CsvFile:
    """Decode and parse a CSV upload. Header names are matched case-insensitively.

    Raises UploadError for an empty file, a file that is too large, a file that is not
    text or not CSV, or one that lacks a required column.
    """
    if len(data) > max_bytes:
        raise UploadError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)}MB")
    if not data.strip():
        raise UploadError("The selected file is empty")
    # Anywhere in the file, not only at its start: a NUL byte in a cell cannot be
    # stored in PostgreSQL, and would fail the import there with a server error.
    if b"\x00" in data:
        raise UploadError("The selected file must be a CSV")
    text, encoding = None, ""
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise UploadError("The selected file must be a CSV saved as UTF-8 or Windows-1252")
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        original_header = next(reader)
        header = [name.strip().lower() for name in original_header]
        if len(set(header)) != len(header) or not any(header):
            raise UploadError("The selected file must have one row of unique column names")
        rows = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines are not rows
            if len(row) > len(header):
                raise UploadError(
                    f"Line {reader.line_num}: more values than there are column names"
                )
            padded = row + [""] * (len(header) - len(row))
            rows.append((reader.line_num, dict(zip(header, padded, strict=True))))
    except csv.Error as error:
        raise UploadError(f"The selected file must be a CSV ({error})") from error
    missing = sorted(set(required) - set(header))
    if missing:
        raise UploadError("The selected file is missing the column(s): " + ", ".join(missing))
    return CsvFile(
        header=header,
        rows=rows,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        original_header=original_header,
    )


def parse_whole_number(text: str, *, max_digits: int = 7) -> int | None:
    """A cell holding a whole number 0 or more, in ASCII digits; None for anything else
    (a sign, a decimal point, "²", an empty cell, or more than `max_digits` digits)."""
    text = text.strip()
    if not re.fullmatch(rf"[0-9]{{1,{max_digits}}}", text):
        return None
    return int(text)


def parse_date(text: str) -> date | None:
    """A cell holding a date as YYYY-MM-DD or DD/MM/YYYY; None for anything else."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None
