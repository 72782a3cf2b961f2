"""The chronology of a case and the printable case summary."""

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from casework.services import note_add, risk_flag_raise
from channel import services as panel
from documents.choices import ChronologyKind
from documents.chronology import chronology
from prevent_portal.audit.models import AuditEvent
from tests.casework.conftest import add_intervention, adopted_referral, at
from tests.channel.conftest import make_meeting
from tests.conftest import make_user, reauthenticated
from tests.documents.conftest import add_document

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def worked_case(family="Chronwood", **kwargs):
    """An adopted case with something of every kind: steps, a panel decision, consent,
    an intervention, a note, a risk flag, a task done, a document and a letter."""
    from documents.models import LetterTemplate
    from documents.services import letter_create
    from worklist.models import Task

    referral = adopted_referral(family=family, **kwargs)
    add_intervention(referral)
    note_add(
        actor=None,
        referral=referral,
        contact_at=at(date(2026, 3, 13)),
        kind="phone_call",
        text="Invented call with the school",
    )
    risk_flag_raise(
        actor=None,
        referral=referral,
        kind="mash",
        raised_on=date(2026, 3, 14),
        to_whom="Invented MASH",
        reason="Invented concern",
    )
    meeting = make_meeting(on=date(2026, 3, 11))
    item = panel.agenda_add(actor=None, meeting=meeting, referral=referral)
    type(item).objects.filter(pk=item.pk).update(decision="adopt", decided_on=date(2026, 3, 11))
    task = Task.objects.filter(referral=referral).first()
    if task is not None:
        Task.objects.filter(pk=task.pk).update(status="done", completed_on=date(2026, 3, 15))
    add_document(referral, title="Invented referral form")
    writer = make_user(f"letter-writer-{referral.reference}", "channel", can_see_identities=True)
    letter_create(
        actor=writer,
        referral=referral,
        template=LetterTemplate.objects.get(title="Invitation to a Channel panel (partner)"),
        title="Invitation to panel",
        body="Dear colleague",
        partnership="Invented Partnership",
    )
    return referral


def test_the_chronology_holds_every_kind_in_date_order(reference_data):
    referral = worked_case()
    events = chronology(referral)
    kinds = {event.kind for event in events}
    assert kinds >= {
        ChronologyKind.JOURNEY,
        ChronologyKind.PANEL,
        ChronologyKind.CONSENT,
        ChronologyKind.INTERVENTION,
        ChronologyKind.NOTE,
        ChronologyKind.RISK,
        ChronologyKind.DOCUMENT,
        ChronologyKind.LETTER,
    }
    assert [e.sort_key for e in events] == sorted(e.sort_key for e in events)
    titles = [event.title for event in events]
    assert titles.index("Panel decision: Adopt as a Channel case") < titles.index(
        "Note: phone call"
    )
    assert "Document added: Invented referral form" in titles
    assert "Letter made: Invitation to panel" in titles
    # A letter's two files are one letter, not two documents.
    assert not any(t == "Document added: Invitation to panel" for t in titles)


def test_the_page_filters_by_kind_and_paginates(client_as, reference_data):
    referral = worked_case()
    client = client_as("channel")
    url = reverse("documents:case-chronology", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "Invented call with the school" in page
    assert "Panel decision: Adopt as a Channel case" in page
    page = client.get(url, {"kind": ["note", "risk"]}).content.decode()
    assert "Invented call with the school" in page
    assert "Panel decision: Adopt as a Channel case" not in page
    assert "of the kinds chosen" in page
    page = client.get(url, {"kind": "nonsense"}).content.decode()
    assert "govuk-error-summary" in page


def test_the_chronology_paginates_at_fifty(client_as, reference_data):
    referral = adopted_referral(family="Manynotes")
    for day in range(1, 61):
        note_add(
            actor=None,
            referral=referral,
            contact_at=at(date(2026, 3, 13)),
            kind="email",
            text=f"Invented email {day}",
        )
    page = (
        client_as("channel")
        .get(reverse("documents:case-chronology", args=[referral.pk]))
        .content.decode()
    )
    assert "govuk-pagination" in page
    assert ": 1 to 50" in page


def test_opening_the_chronology_is_audited(client_as, reference_data):
    referral = adopted_referral(family="Auditchron")
    client_as("channel").get(reverse("documents:case-chronology", args=[referral.pk]))
    assert AuditEvent.objects.filter(
        target_id=str(referral.pk), summary__endswith="(chronology)"
    ).exists()


def test_the_case_summary_is_marked_watermarked_and_audited(client, reference_data):
    referral = worked_case(given="Quentin", family="Summerfield")
    user = make_user("summary-reader", "channel", can_see_identities=True, first_name="Sam")
    client.force_login(user)
    url = reverse("documents:case-summary", args=[referral.pk])
    first = client.get(url)
    assert first.status_code == 302 and "confirm" in first["Location"]  # re-authenticate
    response = reauthenticated(client).get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert text.count("OFFICIAL-SENSITIVE") >= 2
    assert "Produced by Sam Testperson" in text
    assert "Quentin Summerfield" in text
    for heading in (
        "Person",
        "Referral",
        "Latest Vulnerability Assessment Framework assessment",
        "Support plan",
        "Open risk flags and escalations",
        "Chronology",
    ):
        assert heading in text
    assert "Adopted as a Channel case" in text
    assert "Invented call with the school" in text
    assert "Invented MASH" in text
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT, target_id=str(referral.pk))
    assert event.summary.startswith("Printed the case summary")


def test_the_case_summary_masks_identities_without_the_grant(client_as, reference_data):
    referral = worked_case(given="Quentin", family="Summerfield")
    client = reauthenticated(client_as("channel"))
    text = pdf_text(client.get(reverse("documents:case-summary", args=[referral.pk])).content)
    assert "Summerfield" not in text and "Quentin" not in text
    assert "Q. S. (name hidden)" in text
