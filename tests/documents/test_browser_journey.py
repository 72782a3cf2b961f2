"""The case file in the browser.

The Channel coordinator attaches the national referral form (a renamed web page first,
refused), makes a consent letter as DOCX and PDF, opens the chronology and prints the
case summary (after confirming it is them). The board member and the education officer
then get 403 on the document's download URL and on the case. The audit log shows each
upload, view and download. Every page passes the axe scan; screenshots at 1280 and 390
pixels wide, for the Channel coordinator and for business support, in
artifacts/screenshots/documents-*.png.
"""

import subprocess
from datetime import date
from pathlib import Path

import pytest

from documents.models import Document, Letter
from prevent_portal.audit.models import AuditEvent
from tests.browser.checks import check_error_state, check_page
from tests.browser.fixtures import ARTIFACTS, totp_code, totp_device_for
from tests.casework.conftest import adopted_referral
from tests.channel.conftest import make_meeting
from tests.conftest import PASSWORD
from tests.documents.conftest import add_document
from tests.files import samples

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def narrow(page, screenshot, name):
    """The same page on a phone's width, then back."""
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_coordinator_builds_the_case_file_and_others_are_kept_out(
    page, persona, reference_data, sign_in, screenshot, axe_violations, tmp_path
):
    channel = persona("channel")
    channel.can_see_identities = True
    channel.save()
    persona("board")
    persona("education")
    referral = adopted_referral(given="Robin", family="Filewood", born=date(2010, 2, 1))

    sign_in("channel")
    page.goto(f"/referrals/case/{referral.pk}/")
    page.get_by_role("link", name="Documents", exact=True).click()
    assert "No documents on this case yet." in page.locator("main").inner_text()
    check_page(page, axe_violations, screenshot, "documents-empty")

    page.get_by_role("link", name="Add a document").click()
    html = tmp_path / "referral-form.pdf"
    html.write_bytes(samples.HTML)  # a web page renamed .pdf
    page.get_by_label("File", exact=True).set_input_files(str(html))
    page.get_by_label("Title", exact=True).fill("National referral form")
    page.get_by_label("National referral form", exact=True).check()
    page.get_by_label("Date of the document").fill("2026-03-02")
    page.get_by_role("button", name="Add the document").click()
    check_error_state(
        page, axe_violations, screenshot, "documents-refused", expect="not a web page"
    )
    assert Document.objects.count() == 0

    form = tmp_path / "referral-form-signed.pdf"
    form.write_bytes(samples.pdf_bytes("Invented national referral form"))
    page.get_by_label("File", exact=True).set_input_files(str(form))
    page.get_by_label("Title", exact=True).fill("National referral form")
    page.get_by_label("National referral form", exact=True).check()
    page.get_by_label("Date of the document").fill("2026-03-02")
    page.get_by_role("button", name="Add the document").click()
    assert "Document added" in page.locator(".govuk-notification-banner").inner_text()
    document = Document.objects.get()
    check_page(page, axe_violations, screenshot, "documents-list")
    narrow(page, screenshot, "documents-list")

    with page.expect_download() as info:
        page.locator("#documents tbody tr").first.get_by_role("link").first.click()
    assert info.value.suggested_filename == "referral-form-signed.pdf"
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")

    # A consent letter, as DOCX and PDF.
    page.get_by_role("link", name="Create a letter").click()
    check_page(page, axe_violations, screenshot, "documents-letter-choose")
    page.get_by_label("Consent request to a parent or carer").check()
    page.get_by_role("button", name="Continue").click()
    body = page.get_by_label("Letter", exact=True)
    assert "Dear parent or carer of Robin Filewood" in body.input_value()
    check_page(page, axe_violations, screenshot, "documents-letter-edit")
    narrow(page, screenshot, "documents-letter-edit")
    body.fill(body.input_value() + "\n\nAn invented paragraph added by hand.")
    page.get_by_role("button", name="Make the letter (DOCX and PDF)").click()
    assert "Letter made" in page.locator(".govuk-notification-banner").inner_text()
    letter = Letter.objects.get()
    assert letter.documents.count() == 2
    rows = page.locator("#documents tbody tr")
    assert rows.count() == 3
    with page.expect_download() as info:
        rows.filter(has_text="PDF").first.get_by_role("link").first.click()
    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "An invented paragraph added by hand." in text and "OFFICIAL-SENSITIVE" in text
    with page.expect_download() as info:
        rows.filter(has_text="DOCX").first.get_by_role("link").first.click()
    assert info.value.suggested_filename.endswith(".docx")

    # The chronology, and the case summary after confirming it is them.
    page.get_by_role("link", name="Chronology").click()
    events = page.locator(".portal-chronology").inner_text()
    assert "Document added: National referral form" in events
    assert "Letter made: Consent request" in events
    check_page(page, axe_violations, screenshot, "documents-chronology")
    narrow(page, screenshot, "documents-chronology")
    page.get_by_label("Notes").check()
    page.get_by_role("button", name="Apply").click()
    assert "Nothing of the kinds chosen" in page.locator("main").inner_text()
    page.get_by_role("link", name="Show everything").click()
    # Printed, the page keeps its events and loses its navigation, forms and addresses.
    page.emulate_media(media="print")
    assert not page.locator(".moj-sub-navigation").is_visible()
    assert not page.locator(".portal-chronology-filter").is_visible()
    assert not page.get_by_role("button", name="Apply").is_visible()
    assert page.locator(".portal-chronology").is_visible()
    printed_pdf = page.pdf(format="A4")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "documents-chronology-printed.pdf").write_bytes(printed_pdf)
    printed = " ".join(pdf_text(printed_pdf).split())
    assert "Document added: National" in printed and "Letter made: Consent" in printed
    assert "Sign out" not in printed and "/referrals/" not in printed
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Print case summary (PDF)").click()
    assert "Confirm it is you" in page.locator("h1").inner_text()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(
        totp_code(totp_device_for("channel"))
    )
    with page.expect_download() as info:
        page.get_by_role("button", name="Continue").click()
    summary = Path(info.value.path()).read_bytes()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "documents-case-summary.pdf").write_bytes(summary)
    text = pdf_text(summary)
    assert "Case summary: " + referral.reference in text
    assert "Robin Filewood" in text and "OFFICIAL-SENSITIVE" in text

    # The audit log holds each upload, view and download.
    events = AuditEvent.objects.filter(target_id=str(referral.pk), actor__username="channel")
    summaries = list(events.values_list("summary", flat=True))
    assert sum(s.startswith("Added a document") for s in summaries) == 3  # form + letter
    assert sum(s.startswith("Downloaded a document") for s in summaries) == 3
    assert any(s.endswith("(documents)") for s in summaries)
    assert any(s.startswith("Printed the case summary") for s in summaries)

    # The board member and the education officer: refused the document and the case.
    for who in ("board", "education"):
        page.context.clear_cookies()
        sign_in(who)
        for url in (
            f"/referrals/documents/{document.pk}/download/",
            f"/referrals/case/{referral.pk}/",
            f"/referrals/case/{referral.pk}/documents/",
        ):
            response = page.goto(url)
            assert response.status in (403, 404), (who, url)
            assert "National referral form" not in page.content()
            assert "Filewood" not in page.content()
        check_page(page, axe_violations)


def test_business_support_files_the_papers_of_a_panel(
    page, persona, reference_data, sign_in, screenshot, axe_violations, tmp_path
):
    persona("support")
    meeting = make_meeting(on=date(2026, 5, 12))
    add_document(panel_meeting=meeting, code="minutes", title="Draft minutes")
    sign_in("support")
    page.goto(f"/referrals/panels/{meeting.pk}/")
    page.get_by_role("link", name="Papers and minutes (files)").click()
    check_page(page, axe_violations, screenshot, "documents-panel-support")
    narrow(page, screenshot, "documents-panel-support")
    page.get_by_role("link", name="Add a document").click()
    minutes = tmp_path / "minutes.docx"
    minutes.write_bytes(samples.docx_bytes("Invented minutes"))
    page.get_by_label("File", exact=True).set_input_files(str(minutes))
    page.get_by_label("Title", exact=True).fill("Signed minutes")
    page.get_by_label("Minutes", exact=True).check()
    page.get_by_label("Date of the document").fill("2026-05-12")
    check_page(page, axe_violations, screenshot, "documents-panel-upload")
    narrow(page, screenshot, "documents-panel-upload")
    page.get_by_role("button", name="Add the document").click()
    assert "Document added" in page.locator(".govuk-notification-banner").inner_text()
    assert Document.objects.filter(panel_meeting=meeting).count() == 2
    check_page(page, axe_violations)
    # A case's documents stay out of reach.
    referral = adopted_referral(family="Supportwood")
    on_case = add_document(referral)
    response = page.goto(f"/referrals/documents/{on_case.pk}/download/")
    assert response.status == 403


def test_the_other_pages_of_the_case_file(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    """Letter templates (a supervisor, with an unknown placeholder refused), the delete
    confirmation, a letter that cannot be made without the identity grant, and a board
    meeting's papers as business support: each passes the checks, at both widths."""
    from documents.models import LetterTemplate
    from governance.models import BoardMeeting

    persona("coordinator")
    persona("channel")  # no identity grant
    persona("support")
    referral = adopted_referral(family="Otherpages")
    document = add_document(referral, actor=persona("channel"))
    board = BoardMeeting.objects.create(held_on=date(2026, 4, 30))
    add_document(board_meeting=board, code="other", title="Board papers")

    sign_in("coordinator")
    page.goto("/referrals/letter-templates/")
    check_page(page, axe_violations, screenshot, "documents-templates")
    page.get_by_role("link", name="Invitation to a Channel panel (partner)").click()
    page.get_by_label("Text of the letter").fill("Dear {{ parent_name }},\n\n{% load static %}")
    page.get_by_role("button", name="Save the template").click()
    check_error_state(
        page, axe_violations, screenshot, "documents-template-error", expect="parent_name"
    )
    narrow(page, screenshot, "documents-template-error")
    assert (
        "parent_name"
        not in LetterTemplate.objects.get(title="Invitation to a Channel panel (partner)").body
    )
    page.goto(f"/referrals/documents/{document.pk}/delete/")
    check_page(page, axe_violations, screenshot, "documents-delete")
    narrow(page, screenshot, "documents-delete")

    page.context.clear_cookies()
    sign_in("channel")
    template = LetterTemplate.objects.get(title="Channel support offered")
    page.goto(f"/referrals/case/{referral.pk}/letters/new/?template={template.pk}")
    assert "You cannot make this letter" in page.locator("main").inner_text()
    check_page(page, axe_violations, screenshot, "documents-letter-blocked")

    page.context.clear_cookies()
    sign_in("support")
    page.goto(f"/partnership/board/meetings/{board.pk}/")
    page.get_by_role("link", name="Papers and minutes (files)").click()
    assert "Board papers" in page.locator("main").inner_text()
    check_page(page, axe_violations, screenshot, "documents-board-support")
    narrow(page, screenshot, "documents-board-support")
