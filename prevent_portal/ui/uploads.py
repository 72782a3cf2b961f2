"""Reading uploaded CSV files safely: size limit, row limit, content check, encoding,
header names.

Importers (training sessions, evaluations, education settings, outreach, incidents, plan
actions, earlier referrals) take the bytes from `upload_bytes`, which refuses a file over
its size limit before reading any of it, parse rows from `read_csv`, validate every row,
and write nothing unless every row is good. The work of one request is bounded: a file
is decoded as it is parsed (never held twice as text), a file with more rows than its
importer allows is refused as soon as the limit is passed, only the columns an importer
uses are kept, and a page lists at most the first `ROW_ERRORS_SHOWN` bad rows
(`row_errors_page`) with the count of the rest. docs/security.md, "Red-team findings".
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings

from prevent_portal.ui.words import counted, named_list

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Rows of one import, unless the importer says otherwise (settings.IMPORT_MAX_ROWS).
DEFAULT_MAX_ROWS = 10_000
# Bad rows listed on a page; the rest are counted ("and 2,345 more rows with errors").
ROW_ERRORS_SHOWN = 100
# GIAS extracts are published as Windows-1252; spreadsheets often save UTF-8 with a BOM.
ENCODINGS = ("utf-8-sig", "cp1252")


class UploadError(ValueError):
    """A file that cannot be read at all: the message is shown to the user as it is."""


class ImportRowsError(Exception):
    """The file has bad rows: nothing was imported. `errors` is [(line number, message)]."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(f"{counted(len(errors), 'row')} with errors")
        self.errors = errors


@dataclass(frozen=True)
class RowErrors:
    """What a page shows of a file's bad rows: the first ROW_ERRORS_SHOWN, and a count."""

    shown: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)

    @property
    def more_label(self) -> str:
        """ "and 2,345 more rows with errors" (empty when every bad row is shown)."""
        if not self.more:
            return ""
        return f"and {self.more:,} more row{'s' if self.more != 1 else ''} with errors"

    def __bool__(self) -> bool:
        return self.total > 0


def row_errors_page(errors) -> RowErrors:
    errors = list(errors or [])
    return RowErrors(shown=errors[:ROW_ERRORS_SHOWN], total=len(errors))


def max_rows_setting() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def size_label(max_bytes: int) -> str:
    """5242880 -> "5MB"; smaller limits in KB or bytes."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if max_bytes >= size:
            return f"{max_bytes // size:,}{unit}"
    return f"{max_bytes:,} bytes"


def _too_large(max_bytes: int) -> UploadError:
    return UploadError(f"The selected file must be smaller than {size_label(max_bytes)}")


def upload_bytes(upload, *, max_bytes: int | None = None) -> bytes:
    """The content of an uploaded file (Django's UploadedFile), refused with UploadError
    before any of it is read when its size is over `max_bytes` (MAX_UPLOAD_BYTES unless
    given). Never reads more than `max_bytes` + 1 bytes, whatever its size says."""
    if max_bytes is None:
        max_bytes = MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


@dataclass
class CsvFile:
    header: list[str]  # lower-cased, stripped header names
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, row by header)
    sha256: str
    encoding: str
    original_header: list[str] = field(default_factory=list)


def _parse(data: bytes, encoding: str, *, max_rows: int, columns) -> tuple[list, list]:
    """(original header, rows), decoding as it reads: the text is never held whole."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(text)
    original_header = next(reader, None)
    if original_header is None:
        raise UploadError("The selected file is empty")
    header = [name.strip().lower() for name in original_header]
    if len(set(header)) != len(header) or not any(header):
        raise UploadError("The selected file must have one row of unique column names")
    kept = [
        (index, name) for index, name in enumerate(header) if columns is None or name in columns
    ]
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # blank lines are not rows
        if len(row) > len(header):
            raise UploadError(f"Line {reader.line_num}: more values than there are column names")
        if len(rows) == max_rows:
            raise UploadError(f"The selected file must have at most {max_rows:,} rows")
        rows.append((reader.line_num, {name: row[i] if i < len(row) else "" for i, name in kept}))
    return original_header, rows


def read_csv(
    data: bytes,
    *,
    required: set[str] = frozenset(),
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_rows: int | None = None,
    columns: set[str] | None = None,
) -> CsvFile:
    """Decode and parse a CSV upload. Header names are matched case-insensitively.

    `max_rows`: the most rows (not counting the header and blank lines) the importer
    takes, settings.IMPORT_MAX_ROWS unless given; the file is refused as soon as one more
    is read. `columns`: the only columns kept in each row (lower-cased names); all when
    None.

    Raises UploadError for an empty file, a file that is too large or has too many rows,
    a file that is not text or not CSV, or one that lacks a required column.
    """
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data or data.isspace():
        raise UploadError("The selected file is empty")
    # Anywhere in the file, not only at its start: a NUL byte in a cell cannot be
    # stored in PostgreSQL, and would fail the import there with a server error.
    if b"\x00" in data:
        raise UploadError("The selected file must be a CSV")
    if max_rows is None:
        max_rows = max_rows_setting()
    if columns is not None:
        columns = set(columns) | set(required)
    parsed, encoding = None, ""
    for encoding in ENCODINGS:
        try:
            parsed = _parse(data, encoding, max_rows=max_rows, columns=columns)
            break
        except UnicodeDecodeError:
            continue
        except csv.Error as error:
            raise UploadError(f"The selected file must be a CSV ({error})") from error
    if parsed is None:
        raise UploadError("The selected file must be a CSV saved as UTF-8 or Windows-1252")
    original_header, rows = parsed
    header = [name.strip().lower() for name in original_header]
    missing = sorted(set(required) - set(header))
    if missing:
        raise UploadError("The selected file is missing the " + named_list(missing, "column"))
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
