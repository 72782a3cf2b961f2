"""A person's identity never reaches those who may not see it (docs/security.md §3 and §4).

Every page, export (CSV, XLSX, ZIP) and PDF of the URL walk is opened as the board
member, business support, the administrator, and the case roles (coordinator and Channel
coordinator) without the identity grant, with invented people on record. No response,
error pages included, may hold any of their names, addresses, dates of birth, the
referrer's name or the name of who gave consent. PDFs are read with pdftotext.
"""

import io
import subprocess
import uuid
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from casework.models import ConsentRecord
from channel import services as panel
from prevent_portal.accounts.models import User
from referrals.case_pages import CASE_TABS
from referrals.models import Person, Referral
from reporting.models import ReportEdition
from tests.casework.conftest import adopted_referral
from tests.channel.conftest import make_meeting
from tests.conftest import reauthenticated
from tests.test_url_walk import (
    ALL_URL_NAMES,
    MFA_STEP,
    POST_ONLY,
    PUBLIC,
    url_for_fixture,  # noqa: F401 (the fixture "url_for")
)

pytestmark = pytest.mark.django_db

READERS = ["board", "support", "admin", "coordinator", "channel"]


@pytest.fixture
def distinctive_case(reference_data):
    """A case with names found nowhere else: on a panel agenda, with consent recorded."""
    from casework.reference import load_reference_models

    load_reference_models()
    referral = adopted_referral(
        given="Zebedee",
        family="Quillfeather",
        born=date(2009, 2, 14),
        address="7 Marmalade Crescent, Invented Town",
        referrer_name="Ottoline Brackenbury",
    )
    meeting = make_meeting(location="Invented Hall")
    panel.agenda_add(actor=None, meeting=meeting, referral=referral)
    return referral


def identities() -> set[str]:
    """Every identifying value on record, as a page or a file might show it."""
    from retention.services import DISPOSED_NAME

    values = set()
    for person in Person.objects.exclude(family_name=DISPOSED_NAME):
        values |= {person.given_names, person.family_name, person.full_name}
        values.add(person.address.split(",")[0])
        if person.date_of_birth:
            born = person.date_of_birth
            values |= {born.isoformat(), f"{born:%-d %B %Y}", f"{born:%-d %b %Y}"}
    values |= set(Referral.objects.values_list("referrer_name", flat=True))
    values |= set(ConsentRecord.objects.values_list("given_by_name", flat=True))
    # The invented people of other tests' fixtures share names with invented staff (an
    # annual report's author, a user): those may appear as staff, not as people referred.
    staff = " ".join(
        [
            *ReportEdition.objects.values_list("author", flat=True),
            *(f"{user.first_name} {user.last_name}" for user in User.objects.all()),
        ]
    ).lower()
    return {
        value.strip()
        for value in values
        if len(value.strip()) >= 4 and value.strip().lower() not in staff
    }


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True)
    if result.returncode != 0:  # not a PDF pdftotext can read (a test stand-in): raw bytes
        return content.decode("latin-1")
    return result.stdout.decode()


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join(str(cell) for cell in row if cell is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def file_text(name: str, content: bytes) -> str:
    if content.startswith(b"%PDF") or name.endswith(".pdf"):
        return pdf_text(content)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if any(item.startswith("xl/") for item in archive.namelist()):
                return xlsx_text(content)
            return "\n".join(file_text(item, archive.read(item)) for item in archive.namelist())
    return content.decode("utf-8", errors="replace")


def response_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return file_text(response.get("Content-Disposition", ""), content)


def leaks(text: str, secrets: set[str]) -> list[str]:
    # Letters spread out by a PDF's layout still count: compare without whitespace too.
    squeezed = "".join(text.split()).lower()
    return sorted(
        secret
        for secret in secrets
        if secret.lower() in text.lower() or "".join(secret.split()).lower() in squeezed
    )


def urls_to_open(build, referral) -> list[tuple[str, str]]:
    urls = [
        (name, build(name))
        for name in ALL_URL_NAMES
        if name not in PUBLIC and name not in POST_ONLY and name not in MFA_STEP
    ]
    urls += [
        (
            f"{tab.url_name} (the distinctive case)",
            reverse(tab.url_name, kwargs={"pk": referral.pk}),
        )
        for tab in CASE_TABS
    ]
    urls += [
        ("an unknown case (404)", reverse("referrals:referral-detail", args=[uuid.UUID(int=0)])),
        ("a malformed id (404)", "/referrals/case/not-a-uuid/"),
    ]
    return urls


@pytest.mark.parametrize("persona_name", READERS)
def test_no_identity_in_any_page_export_or_pdf(client_as, url_for, distinctive_case, persona_name):
    client = reauthenticated(client_as(persona_name))
    urls = urls_to_open(url_for, distinctive_case)
    secrets = identities()
    assert {"Zebedee", "Quillfeather", "Ottoline Brackenbury", "Pat Invented-Parent"} <= secrets
    found = {}
    opened = {}
    for name, url in urls:
        response = client.get(url)
        opened[name] = response.status_code
        text = response_text(response)
        hits = leaks(text, secrets)
        if hits:
            found[name] = hits
    assert found == {}, f"identities shown to {persona_name}: {found}"
    # The walk reached real pages, not only refusals.
    assert sum(status == 200 for status in opened.values()) >= 3, opened


def test_a_name_search_without_the_grant_finds_nothing(client_as, distinctive_case):
    client = client_as("channel")
    client.post(reverse("referrals:index"), {"q": "Quillfeather"})
    page = client.get(reverse("referrals:index")).content.decode()
    assert distinctive_case.reference not in page
    export = reauthenticated(client).get(reverse("referrals:case-export"))
    assert distinctive_case.reference not in response_text(export)


def test_the_checks_do_find_an_identity_where_it_is_allowed(client, distinctive_case):
    """The same reading finds the names for a user with the grant: the test can fail."""
    from tests.conftest import make_user

    client.force_login(make_user("granted-reader", "channel", can_see_identities=True))
    reauthenticated(client)
    secrets = identities()
    page = client.get(reverse("referrals:referral-detail", kwargs={"pk": distinctive_case.pk}))
    assert "Quillfeather" in leaks(response_text(page), secrets)
    export = client.get(reverse("referrals:case-export"))
    assert "Zebedee Quillfeather" in leaks(response_text(export), secrets)
    meeting = distinctive_case.agenda_items.first().meeting
    pack = client.get(reverse("channel:meeting-pack", args=[meeting.pk]))
    assert "Zebedee Quillfeather" in leaks(response_text(pack), secrets)
