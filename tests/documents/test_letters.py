"""Letters from templates: placeholders checked on save and escaped on render; DOCX and
PDF made and filed as "letter sent"; identities only with the grant."""

import io
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from documents.letters import PLACEHOLDERS, fill, template_errors, uses_identities
from documents.models import Document, Letter, LetterTemplate
from prevent_portal.audit.models import AuditEvent
from tests.casework.conftest import adopted_referral
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CONSENT = "Consent request to a parent or carer"
INVITATION = "Invitation to a Channel panel (partner)"


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def docx_text(data: bytes) -> str:
    from docx import Document as Docx

    document = Docx(io.BytesIO(data))
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    return header + "\n" + "\n".join(p.text for p in document.paragraphs)


@pytest.fixture
def case(reference_data):
    return adopted_referral(given="Alexa", family="Lettersworth", born=date(2010, 6, 1))


def granted(username="granted-channel"):
    return make_user(username, "channel", can_see_identities=True, first_name="Robin")


def test_the_five_templates_are_seeded_with_known_placeholders_only():
    titles = set(LetterTemplate.objects.values_list("title", flat=True))
    assert {
        CONSENT,
        INVITATION,
        "Channel support offered",
        "Exit from Channel",
        "Post-exit review",
    } <= titles
    for template in LetterTemplate.objects.all():
        assert template_errors(template.body) == [], template.title
    assert uses_identities(LetterTemplate.objects.get(title=CONSENT).body)
    assert not uses_identities(LetterTemplate.objects.get(title=INVITATION).body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Dear {{ parent_name }}", "“{{ parent_name }}” is not a placeholder"),
        ("Dear {{ person.address }}", "“{{ person.address }}” is not a placeholder"),
        ("{{ person_name|upper }}", "is not a placeholder"),
        ("{% load static %}Hello", "Letters may hold placeholders only"),
        ("{% if 1 %}x{% endif %}", "Letters may hold placeholders only"),
        ("Dear {{ person_name }", "Letters may hold placeholders only"),
        ("{# a comment #}", "Letters may hold placeholders only"),
    ],
)
def test_a_template_with_anything_but_known_placeholders_is_a_form_error(client_as, body, message):
    template = LetterTemplate.objects.get(title=INVITATION)
    before = template.body
    response = client_as("coordinator").post(
        reverse("documents:template-edit", args=[template.pk]),
        {"title": template.title, "body": body, "is_active": "on", "version": template.version},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    template.refresh_from_db()
    assert template.body == before


def test_a_supervisor_edits_a_template_and_the_change_is_audited(client_as):
    template = LetterTemplate.objects.get(title=INVITATION)
    response = client_as("coordinator").post(
        reverse("documents:template-edit", args=[template.pk]),
        {
            "title": template.title,
            "body": "Dear colleague,\n\nPanel on {{ panel_date }} for {{ case_reference }}.",
            "is_active": "on",
            "version": template.version,
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.version == 2
    event = AuditEvent.objects.get(
        verb=AuditEvent.Verb.UPDATE, target_type="documents.lettertemplate"
    )
    assert "body" in event.changes


def test_a_stale_template_edit_is_refused(client_as):
    template = LetterTemplate.objects.get(title=INVITATION)
    response = client_as("coordinator").post(
        reverse("documents:template-edit", args=[template.pk]),
        {"title": template.title, "body": "Hello", "is_active": "on", "version": 99},
    )
    assert "Someone else changed this template" in response.content.decode()


def test_filling_is_one_pass_and_values_are_not_read_as_placeholders():
    text = fill(
        "Dear {{ person_name }}, {{ case_reference }}",
        {
            "person_name": "{{ case_reference }} <b>",
            "case_reference": "PR-1",
        },
    )
    assert text == "Dear {{ case_reference }} <b>, PR-1"


def test_every_placeholder_is_filled_for_a_case(case):
    from documents.letters import letter_values

    user = granted()
    values = letter_values(
        referral=case,
        user=user,
        show_identities=True,
        panel_date=date(2026, 4, 14),
        partnership="Invented Partnership",
    )
    assert set(values) == set(PLACEHOLDERS)
    assert values["panel_date"] == "14 April 2026"
    assert values["person_name"] == "Alexa Lettersworth"


def test_a_case_manager_makes_a_consent_letter_as_docx_and_pdf(client, case):
    user = granted()
    client.force_login(user)
    template = LetterTemplate.objects.get(title=CONSENT)
    url = reverse("documents:letter-create", args=[case.pk])
    choose = client.get(url).content.decode()
    assert CONSENT in choose and "Which letter?" in choose
    filled = client.get(url, {"template": template.pk}).content.decode()
    assert "Dear parent or carer of Alexa Lettersworth" in filled
    assert "{{" not in filled
    assert Letter.objects.count() == 0  # seeing the letter changes nothing
    body = "Dear parent or carer of Alexa Lettersworth,\n\nAn edited paragraph <b>bold?</b>"
    response = client.post(
        url,
        {
            "template": template.pk,
            "title": "Consent request",
            "body": body,
            "token": "0b5a7b8e-0000-4000-8000-000000000002",
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    documents = {d.content_type: d for d in Document.objects.filter(letter=letter)}
    assert set(documents) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    for document in documents.values():
        assert document.kind.code == "letter-sent"
        assert document.referral == case
    pdf = client.get(reverse("documents:document-download", args=[documents["application/pdf"].pk]))
    text = pdf_text(pdf.content)
    assert "OFFICIAL-SENSITIVE" in text
    assert "An edited paragraph <b>bold?</b>" in text  # escaped: printed as typed
    docx = client.get(
        reverse(
            "documents:document-download",
            args=[documents[next(k for k in documents if "word" in k)].pk],
        )
    )
    words = docx_text(docx.content)
    assert "Dear parent or carer of Alexa Lettersworth," in words
    assert "An edited paragraph <b>bold?</b>" in words
    assert "OFFICIAL-SENSITIVE" in words
    event = AuditEvent.objects.get(summary__startswith="Made a letter")
    assert event.target_id == str(case.pk)
    assert "Alexa" not in event.summary + str(event.changes)


def test_a_double_submitted_letter_is_made_once(client, case):
    client.force_login(granted())
    template = LetterTemplate.objects.get(title=CONSENT)
    data = {
        "template": template.pk,
        "title": "Consent",
        "body": "Text",
        "token": "0b5a7b8e-0000-4000-8000-000000000003",
    }
    url = reverse("documents:letter-create", args=[case.pk])
    client.post(url, data)
    client.post(url, data)
    assert Letter.objects.count() == 1
    assert Document.objects.count() == 2


def test_without_the_identity_grant_a_letter_naming_the_person_cannot_be_made(client_as, case):
    client = client_as("channel")  # no identity grant
    template = LetterTemplate.objects.get(title=CONSENT)
    url = reverse("documents:letter-create", args=[case.pk])
    page = client.get(url, {"template": template.pk}).content.decode()
    assert "You cannot make this letter" in page
    assert "Lettersworth" not in page and "Alexa" not in page
    response = client.post(
        url, {"template": template.pk, "title": "x", "body": "Dear {{ person_name }}"}
    )
    assert "You cannot make this letter" in response.content.decode()
    assert Letter.objects.count() == 0


def test_without_the_grant_a_letter_that_names_nobody_can_be_made(client_as, case):
    client = client_as("channel")
    template = LetterTemplate.objects.get(title=INVITATION)
    url = reverse("documents:letter-create", args=[case.pk])
    page = client.get(url, {"template": template.pk}).content.decode()
    assert f"discuss case {case.reference}" in page
    response = client.post(
        url, {"template": template.pk, "title": "Invitation", "body": "Dear colleague"}
    )
    assert response.status_code == 302
    assert Letter.objects.count() == 1


def test_choosing_nothing_is_an_error(client, case):
    client.force_login(granted())
    page = client.get(
        reverse("documents:letter-create", args=[case.pk]), {"continue": "Continue"}
    ).content.decode()
    assert "Select a letter" in page and "govuk-error-summary" in page


def test_an_empty_letter_is_refused(client, case):
    client.force_login(granted())
    template = LetterTemplate.objects.get(title=CONSENT)
    response = client.post(
        reverse("documents:letter-create", args=[case.pk]),
        {"template": template.pk, "title": "Consent", "body": "   "},
    )
    assert "Enter the text of the letter" in response.content.decode()
    assert Letter.objects.count() == 0
