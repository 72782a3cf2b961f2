"""The subject access journey in Chromium, with an accessibility scan of every page, and
the register, the log and a case's Disclosures section."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from disclosures.choices import LawfulBasis, Method
from disclosures.models import DisclosureEntry, SubjectAccessRequest
from disclosures.services import record_disclosure
from tests.browser.fixtures import totp_code, totp_device_for
from tests.conftest import PASSWORD
from tests.disclosures.conftest import make_agreement, sar_maker
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_answers_a_subject_access_request(page, sign_in, screenshot, axe_violations):
    sar_maker()
    referral = new_referral(referrer_name="Robin Madeup")
    agreement = make_agreement()
    record_disclosure(
        actor=None,
        referral=referral,
        what_shared="The outcome of the gateway",
        recipient_organisation="Kent Police",
        recipient_role="Channel police practitioner",
        purpose="Information gathering",
        lawful_basis=LawfulBasis.CHANNEL,
        agreement=agreement,
        method=Method.SECURE_EMAIL,
        shared_on=date(2026, 3, 5),
    )
    sign_in("sar-maker")

    page.goto("/information/")
    assert axe_violations() == []
    screenshot("disclosures-index")
    page.get_by_role("link", name="Information-sharing agreements").click()
    assert "Invented police agreement" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("disclosures-register")
    page.goto("/information/disclosures/")
    assert "The outcome of the gateway" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("disclosures-log")
    page.goto(f"/information/case/{referral.pk}/disclosures/")
    assert axe_violations() == []
    screenshot("disclosures-case")
    page.get_by_role("link", name="Add a disclosure").click()
    page.get_by_role("button", name="Add to the disclosure log").click()
    assert "Enter what was shared" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations() == []
    screenshot("disclosures-entry-errors")

    page.goto("/information/subject-access/")
    assert axe_violations() == []
    page.get_by_role("link", name="Start a request").click()
    page.get_by_role("button", name="Search").click()
    assert "Enter the person" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations() == []
    page.get_by_label("Name").fill("Jamie Testwood")
    page.get_by_role("button", name="Search").click()
    assert axe_violations() == []
    screenshot("disclosures-sar-search")
    page.get_by_role("link", name="Start a request about Jamie Testwood").click()
    page.get_by_label("Requester's name").fill("Jamie Testwood")
    page.get_by_label("The person themself").check()
    page.get_by_label("Date received").fill("2026-03-10")
    assert axe_violations() == []
    screenshot("disclosures-sar-form")
    page.get_by_role("button", name="Start the request").click()

    main = page.locator("main").inner_text()
    assert "Third-party information" in main and "Robin Madeup" in main
    assert "10 April 2026" in main  # one calendar month
    assert axe_violations() == []
    screenshot("disclosures-sar-review")
    radios = page.locator("input[type=radio][value=redact]")
    for index in range(radios.count()):
        radios.nth(index).check()
    page.locator("#item-0-release").check()  # the referrer's name: released, with a note
    page.locator("#item-0-note").fill("The person already knows who referred them")
    page.get_by_role("button", name="Save decisions").click()
    assert "Decisions saved" in page.locator("main").inner_text()
    assert axe_violations() == []

    page.get_by_role("link", name="Approve for release").click()
    page.get_by_role("button", name="Approve for release").click()
    assert "Confirm that you have reviewed" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations() == []
    screenshot("disclosures-sar-release")
    page.get_by_label("I have reviewed every item").check()
    page.get_by_role("button", name="Approve for release").click()
    assert "Bundle approved for release" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("disclosures-sar-released")

    page.get_by_role("link", name="Download the bundle (ZIP)").click()
    assert "Confirm it is you" in page.locator("h1").inner_text()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(
        totp_code(totp_device_for("sar-maker"))
    )
    with page.expect_download() as info:
        page.get_by_role("button", name="Continue").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "subject-access-bundle.pdf" in archive.namelist()
    referrals_csv = next(n for n in archive.namelist() if n.endswith("-referrals.csv"))
    text = archive.read(referrals_csv).decode()
    assert "Robin Madeup" in text  # released on purpose
    assert "[Redacted: third-party information]" in text  # the rest
    assert SubjectAccessRequest.objects.get().is_released
    assert DisclosureEntry.objects.filter(method=Method.SUBJECT_ACCESS).count() == 1
