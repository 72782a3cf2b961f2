"""The subject access bundle: what it holds, what is flagged, what is redacted, and the
released ZIP (a PDF and one CSV per section)."""

import csv
import io
import subprocess
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from disclosures.bundle import REDACTED_TEXT, build_bundle
from disclosures.choices import Flag, LawfulBasis, Method
from disclosures.services import record_disclosure, sar_decide, sar_release
from referrals.models import Referral
from tests.disclosures.conftest import make_request, sar_maker
from tests.referrals.conftest import new_referral
from tests.retention.conftest import full_case

pytestmark = pytest.mark.django_db


def _case_with_formula():
    coordinator = sar_maker()
    referral = full_case(coordinator)
    Referral.objects.filter(pk=referral.pk).update(
        concerns='=HYPERLINK("http://example.invalid","click")',
        referrer_contact="robin.madeup@invented.example",
        referrer_role="Head of Year",
    )
    record_disclosure(
        actor=coordinator,
        referral=referral,
        what_shared="The gateway outcome",
        recipient_organisation="Invented Academy",
        recipient_role="Designated Safeguarding Lead",
        purpose="Support in school",
        lawful_basis=LawfulBasis.SAFEGUARDING,
        method=Method.SECURE_EMAIL,
        shared_on=date(2026, 3, 1),
    )
    return coordinator, Referral.objects.get(pk=referral.pk)


def _cell(bundle, section_key, label):
    section = next(s for s in bundle.sections if s.key == section_key)
    return next(cell for cell in section.rows[0] if cell.label == label)


def test_the_bundle_holds_every_kind_of_record_with_the_third_party_items_flagged():
    coordinator, referral = _case_with_formula()
    request = make_request(referral.person)
    bundle = build_bundle(request, user=coordinator)
    keys = {section.key: len(section.rows) for section in bundle.sections}
    assert keys["person"] == 1 and keys["referrals"] == 1
    for section in (
        "history",
        "vaf-assessments",
        "vaf-ratings",
        "panel-decisions",
        "panel-actions",
        "consent",
        "support",
        "notes",
        "risk",
        "tasks",
        "retention",
        "disclosures",
        "access",
    ):
        assert keys[section] >= 1, section
    for label in ("Referrer's name", "Referrer's role", "Referrer's contact"):
        assert _cell(bundle, "referrals", label).flag == Flag.THIRD_PARTY
    assert _cell(bundle, "referrals", "Police or national reference").value == "PN-12345"
    assert _cell(bundle, "referrals", "Police or national reference").flag == Flag.THIRD_PARTY
    assert _cell(bundle, "referrals", "Concerns").flag == Flag.REVIEW
    assert _cell(bundle, "notes", "Note").flag == Flag.REVIEW
    assert _cell(bundle, "consent", "Name of who gave it").flag == Flag.THIRD_PARTY
    # The person's own details are never flagged.
    assert _cell(bundle, "person", "Family name").value == "Testwood"
    assert not _cell(bundle, "person", "Family name").flag
    # Empty fields need no decision.
    assert (
        not _cell(bundle, "referrals", "Referrer's organisation").flag
        or _cell(bundle, "referrals", "Referrer's organisation").value
    )


def _decide_all(actor, request, decision, *, release=()):
    bundle = build_bundle(request, user=actor)
    decisions = {
        cell.key: ("release" if cell.label in release else decision, "") for cell in bundle.flagged
    }
    sar_decide(actor=actor, request=request, decisions=decisions, expected_version=request.version)
    request.refresh_from_db()
    sar_release(
        actor=actor,
        request=request,
        expected_version=request.version,
        bundle=build_bundle(request, user=actor),
    )
    request.refresh_from_db()


def _download(sar_client, request):
    response = sar_client.get(reverse("disclosures:sar-download", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    return zipfile.ZipFile(io.BytesIO(response.content))


def _pdf_text(archive, tmp_path) -> str:
    path = tmp_path / "bundle.pdf"
    path.write_bytes(archive.read("subject-access-bundle.pdf"))
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _csv(archive, suffix) -> list[dict]:
    name = next(n for n in archive.namelist() if n.endswith(suffix))
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_redacted_items_are_replaced_in_the_pdf_and_the_csv(sar_client, tmp_path):
    coordinator, referral = _case_with_formula()
    request = make_request(referral.person, actor=coordinator)
    _decide_all(coordinator, request, "redact")
    archive = _download(sar_client, request)
    names = archive.namelist()
    assert "subject-access-bundle.pdf" in names
    assert sum(name.endswith(".csv") for name in names) == len(
        build_bundle(request, user=coordinator).sections
    )
    text = _pdf_text(archive, tmp_path)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Testwood" in text  # the person's own data
    assert "Robin Madeup" not in text and "robin.madeup" not in text
    assert "PN-12345" not in text and "Head of Year" not in text
    assert "[Redacted: third-party information]" in " ".join(text.split())
    row = _csv(archive, "-referrals.csv")[0]
    assert row["Referrer's name"] == REDACTED_TEXT
    assert row["Police or national reference"] == REDACTED_TEXT
    assert row["Concerns"] == REDACTED_TEXT


def test_released_items_appear_and_formulas_are_neutralised(sar_client, tmp_path):
    coordinator, referral = _case_with_formula()
    request = make_request(referral.person, actor=coordinator)
    _decide_all(
        coordinator,
        request,
        "release",
    )
    archive = _download(sar_client, request)
    text = _pdf_text(archive, tmp_path)
    assert "Robin Madeup" in text and "PN-12345" in text
    row = _csv(archive, "-referrals.csv")[0]
    assert row["Referrer's name"] == "Robin Madeup"
    assert row["Concerns"].startswith("'=HYPERLINK")  # neutralised
    disclosures = _csv(archive, "-disclosures.csv")
    assert any(r["Shared with"] == "Invented Academy" for r in disclosures)
    access = _csv(archive, "-access.csv")
    assert access and {"When", "Who", "What", "Summary"} <= set(access[0])


def test_mixed_decisions_redact_only_what_was_marked(sar_client, tmp_path):
    coordinator, referral = _case_with_formula()
    request = make_request(referral.person, actor=coordinator)
    _decide_all(coordinator, request, "redact", release={"Referrer's role"})
    row = _csv(_download(sar_client, request), "-referrals.csv")[0]
    assert row["Referrer's role"] == "Head of Year"
    assert row["Referrer's name"] == REDACTED_TEXT


def test_an_item_added_after_review_is_redacted_until_decided(persona):
    coordinator = sar_maker()
    referral = new_referral()
    request = make_request(referral.person)
    _decide_all(coordinator, request, "release")
    Referral.objects.filter(pk=referral.pk).update(complex_needs="Written after the review")
    bundle = build_bundle(request, user=coordinator)
    assert _cell(bundle, "referrals", "Complex needs").released == REDACTED_TEXT


@pytest.mark.parametrize("size", [1, 4])
def test_building_the_bundle_has_a_fixed_query_budget(django_assert_max_num_queries, size):
    coordinator = sar_maker()
    first = full_case(coordinator)
    for number in range(size - 1):
        full_case(coordinator, person=first.person, received=date(2019, 3, 5 + number))
    request = make_request(first.person)
    # 30: the documents section adds its list and its ids for the access section.
    with django_assert_max_num_queries(30):
        bundle = build_bundle(request, user=coordinator)
        assert len(bundle.sections[1].rows) == size
        assert bundle.flagged
