"""CSV and XLSX exports with spreadsheet formula injection neutralised."""

import csv
import io
import json

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:
    """Text for one cell; a value a spreadsheet would run as a formula is prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, sort_keys=True, default=str)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header, rows) -> StreamingHttpResponse:
    """Stream `rows` (iterables of cells) as a CSV download. Every cell goes through
    safe_cell."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _xlsx_cell(value):
    # Numbers and dates stay typed (they cannot be formulas); text is neutralised.
    if isinstance(value, bool) or value is None:
        return safe_cell(value) if value is not None else None
    if isinstance(value, int | float):
        return value
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat() if getattr(value, "tzinfo", None) else value
    return safe_cell(value)


def xlsx_response(filename: str, header, rows, *, sheet_title: str = "Export") -> HttpResponse:
    """`rows` as a one-sheet XLSX download; text cells neutralised as in safe_cell."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([safe_cell(cell) for cell in header])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
