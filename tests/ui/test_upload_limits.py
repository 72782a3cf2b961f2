"""Uploads cannot exhaust the server (docs/security.md, "Red-team findings").

A file over its size limit is refused before any of it is read; a file with more rows
than its import takes is refused with a GOV.UK error and writes nothing; a file with
thousands of bad rows lists the first hundred and counts the rest; a request body larger
than any upload is refused (413) before it is read. The upload pages are found by
opening every page of the URL walk and keeping those with a file input, so a new import
page is checked as soon as it exists.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    SimpleUploadedFile,
    TemporaryUploadedFile,
)
from django.urls import reverse

from prevent_portal.ui import uploads
from prevent_portal.ui.uploads import (
    ROW_ERRORS_SHOWN,
    UploadError,
    read_csv,
    row_errors_page,
    upload_bytes,
)
from tests.conftest import reauthenticated
from tests.test_scope_walk import every_row
from tests.test_url_walk import (
    ALL_URL_NAMES,
    MFA_STEP,
    POST_ONLY,
    PUBLIC,
    url_for_fixture,  # noqa: F401 (the fixture "url_for")
)

pytestmark = pytest.mark.django_db

KNOWN_UPLOADS = {
    "education:setting-import",
    "education:session-import",
    "training:session-import",
    "community:incident-import",
    "governance:plan-import",
    "referrals:import",
}
# Pages that store a file (prevent_portal/files): no rows to count, the same size check.
FILE_UPLOADS = {
    "documents:case-document-create",
    "documents:panel-document-create",
    "documents:board-document-create",
}
# The columns each import reads, and a row of values that none of them accepts.
COLUMNS = {
    "education:setting-import": "urn,name,phase,district",
    "education:session-import": "date,audience,settings,attendees,format,topic",
    "training:session-import": "date,course,format,audience,district,attendees",
    "community:incident-import": "date,district,place,kind,ideology,reported_by,removed",
    "governance:plan-import": "reference,heading,description,owner,lead,due_date,status",
    "referrals:import": "given_names,family_name,sex,sector,concern_types,date_received",
}


class Unreadable:
    """An uploaded file that says how large it is and fails if anything reads it."""

    name = "huge.csv"

    def __init__(self, size):
        self.size = size

    def read(self, *args):
        raise AssertionError("the file was read")


def test_an_oversized_upload_is_refused_before_it_is_read():
    with pytest.raises(UploadError, match="must be smaller than 5MB"):
        upload_bytes(Unreadable(5 * 1024 * 1024 + 1))
    with pytest.raises(UploadError, match="must be smaller than 100MB"):
        upload_bytes(Unreadable(10**10), max_bytes=100 * 1024 * 1024)


def test_a_file_that_understates_its_size_is_read_no_further_than_the_limit():
    class Lying:
        size = 10
        asked = None

        def read(self, n=-1):
            self.asked = n
            return b"x" * 2000

    upload = Lying()
    with pytest.raises(UploadError, match="smaller than 1KB"):
        upload_bytes(upload, max_bytes=1024)
    assert upload.asked == 1025


def test_read_csv_stops_at_the_row_limit_and_keeps_only_the_columns_asked_for():
    data = b"a,b,c\n" + b"1,2,3\n" * 50
    with pytest.raises(UploadError, match="must have at most 10 rows"):
        read_csv(data, max_rows=10)
    parsed = read_csv(data, max_rows=50, columns={"a", "c"})
    assert parsed.header == ["a", "b", "c"]
    assert parsed.rows[0] == (2, {"a": "1", "c": "3"})


def test_read_csv_takes_the_shared_row_limit_from_the_settings(settings):
    settings.IMPORT_MAX_ROWS = 4
    with pytest.raises(UploadError, match="must have at most 4 rows"):
        read_csv(b"a\n" + b"x\n" * 5)
    assert len(read_csv(b"a\n" + b"x\n" * 4).rows) == 4


def test_a_page_shows_the_first_hundred_bad_rows_and_counts_the_rest():
    page = row_errors_page([(line, "bad") for line in range(2, 5002)])
    assert len(page.shown) == ROW_ERRORS_SHOWN == 100
    assert page.total == 5000 and page.more == 4900
    assert page.more_label == "and 4,900 more rows with errors"
    assert row_errors_page([(2, "bad")]).more_label == ""
    assert not row_errors_page([])


_FOUND: dict[str, set[str]] = {}  # the walk's result, kept for the tests that follow


def _upload_names(client, url_for) -> set[str]:
    """Every page with a file input, found by opening each page of the URL walk once."""
    if "names" not in _FOUND:
        names = set()
        for name in ALL_URL_NAMES:
            if name in PUBLIC | POST_ONLY | MFA_STEP:
                continue
            response = client.get(url_for(name))
            html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code == 200 and html and 'type="file"' in response.text:
                names.add(name)
        _FOUND["names"] = names
    return _FOUND["names"]


@pytest.fixture
def upload_pages(client_as, url_for):
    """URL name -> (URL, name of the file input), for every page with a file input."""
    client = reauthenticated(client_as("coordinator"))
    names = _upload_names(client, url_for)
    assert names == KNOWN_UPLOADS | FILE_UPLOADS, "a new upload page: add it above"
    pages = {}
    for name in names:
        url = url_for(name)
        found = re.search(r'<input[^>]*type="file"[^>]*>', client.get(url).text)
        pages[name] = (url, re.search(r'name="([^"]+)"', found.group(0)).group(1))
    return client, pages


def _refused(response, message):
    text = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert "govuk-error-summary" in text
    assert message in text, message


def test_every_upload_page_refuses_an_oversized_file_before_reading_it(
    upload_pages, monkeypatch, settings
):
    client, pages = upload_pages
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024)
    monkeypatch.setattr("education.views.REGISTER_MAX_BYTES", 1024)
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024

    def unreadable(self, *args):
        raise AssertionError("the upload was read before its size was checked")

    # The files the server makes from the request; the test client sends a plain one.
    monkeypatch.setattr(InMemoryUploadedFile, "read", unreadable)
    monkeypatch.setattr(TemporaryUploadedFile, "read", unreadable)
    before = every_row()
    for name, (url, field) in sorted(pages.items()):
        upload = io.BytesIO(b"a,b\n" + b"1,2\n" * 600)
        upload.name = "big.csv"
        response = client.post(url, {field: upload})
        try:
            _refused(response, "The selected file must be smaller than 1KB")
        except AssertionError as problem:
            raise AssertionError(name) from problem
    assert every_row() == before


def test_every_upload_page_refuses_a_file_over_the_row_limit_and_writes_nothing(
    upload_pages, settings
):
    client, pages = upload_pages
    settings.IMPORT_MAX_ROWS = 3
    before = every_row()
    for name, (url, field) in sorted(pages.items()):
        if name in FILE_UPLOADS:
            continue
        row = ",".join(str(n) for n in range(COLUMNS[name].count(",") + 1))
        data = (COLUMNS[name] + "\n" + (row + "\n") * 4).encode()
        response = client.post(url, {field: SimpleUploadedFile("rows.csv", data, "text/csv")})
        try:
            _refused(response, "The selected file must have at most 3")
        except AssertionError as problem:
            raise AssertionError(name) from problem
    assert every_row() == before


@pytest.mark.parametrize("name", sorted(KNOWN_UPLOADS))
def test_five_thousand_bad_rows_list_a_hundred_and_count_the_rest(upload_pages, name):
    client, pages = upload_pages
    url, field = pages[name]
    width = COLUMNS[name].count(",") + 1
    data = (COLUMNS[name] + "\n" + ",".join(["not valid"] * width) + "\n") + (
        ",".join(["not valid"] * width) + "\n"
    ) * 4999
    before = every_row()
    upload = SimpleUploadedFile("bad.csv", data.encode(), "text/csv")
    response = client.post(url, {field: upload}, follow=True)
    text = response.content.decode()
    assert response.status_code == 200
    if 'id="row-errors"' in text:  # the import's own page: a table of the bad rows
        table = text.split('id="row-errors"', 1)[1].split("</table>", 1)[0]
        assert table.count('<tr class="govuk-table__row">') == 1 + 100  # header + rows
        assert "5,000 rows with errors" in table
        assert len(response.content) < 200_000
    else:  # a preview page: the error summary links each bad row to its line
        assert text.count('<li><a href="#line-') == 100
        assert "5,000 rows have problems" in text
        # Its table shows every row of the file (at most the import's row limit).
        assert len(response.content) < 5_000 * 1_000
    assert "And 4,900 more rows with errors" in text
    changed = {label for label, rows in every_row().items() if rows != before[label]}
    # A preview keeps the uploaded file until it is confirmed; nothing else is written.
    assert changed <= {"referrals.referralimport", "training.sessionimport"}


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client_as, settings):
    client = client_as("coordinator")
    settings.REQUEST_BODY_MAX_BYTES = 1000

    class Exploding:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    response = client.generic(
        "POST",
        reverse("education:setting-import"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="5000",
        **{"wsgi.input": Exploding()},
    )
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert "larger than 1,000 bytes" in response.content.decode()
    # Under the limit the page answers as usual.
    assert client.get(reverse("education:setting-import")).status_code == 200
