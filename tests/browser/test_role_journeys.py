"""A day's work of each role, in Chromium: from sign-in (password and MFA code) to done.

Every page passed is checked (tests/browser/checks.py): the axe-core scan with no
violation, tables with captions and headers, charts with their table, and at least one
form sent incomplete per journey, so that the error state is scanned too. The journeys of
the Channel coordinator, the education officer and the community officer live with their
apps (see docs/accessibility.md for the map of journeys to roles).
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from channel.models import PanelMeeting
from education.choices import AUDIENCE_CATEGORIES
from education.models import AudienceCategory
from governance.models import BoardMeeting, MeetingAction
from prevent_portal.audit.models import AuditEvent
from referrals.models import Referral
from referrals.reference import load_reference_models
from reporting.models import GeneratedReport
from tests.browser.checks import check_error_state, check_page
from tests.channel.conftest import GATHERING, make_meeting, move, on_agenda
from tests.governance.factories import make_action, make_member, make_plan
from tests.referrals.conftest import new_referral
from tests.reporting.conftest import build_report_data, make_edition
from tests.reporting.test_annual_report import pdf_text
from training.catalogue import load_catalogue
from training.models import Course, Evaluation, TrainingSession

pytestmark = pytest.mark.django_db(transaction=True)


def seed_report_reference():
    """The rows migrations seed for training and education, which an earlier
    transactional test may have flushed."""
    load_catalogue(Course)
    load_reference_models()
    for position, name in enumerate(AUDIENCE_CATEGORIES, start=1):
        AudienceCategory.objects.get_or_create(name=name, defaults={"position": position})


def sign_out(page):
    page.locator(".portal-header").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")


def test_the_panel_chair_records_the_panels_decisions(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    chair = persona("chair")
    chair.can_see_identities = True
    chair.save()
    today = timezone.localdate()
    first = move(new_referral(given="Robin", family="Inventson"), *GATHERING, on=today)
    second = move(new_referral(given="Kit", family="Madeupper"), *GATHERING, on=today)
    meeting = make_meeting(on=today)
    on_agenda(meeting, first)
    on_agenda(meeting, second)

    sign_in("chair")
    check_page(page, axe_violations, screenshot, "role-chair-home")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Channel panels").click()
    check_page(page, axe_violations, screenshot, "role-chair-panels")
    page.get_by_role("link", name=f"{today:%-d %B %Y}").first.click()
    check_page(page, axe_violations, screenshot, "role-chair-meeting")

    page.get_by_role("link", name=f"Record the decision on {first.reference}").click()
    check_page(page, axe_violations)
    page.get_by_role("button", name="Record the decision").click()  # empty: errors first
    check_error_state(
        page, axe_violations, screenshot, "role-chair-decision-errors",
        expect="Select the panel's decision",
    )  # fmt: skip
    page.get_by_label("Adopt as a Channel case").check()
    page.get_by_label("Reason for the decision").fill("Vulnerability found; support agreed.")
    page.get_by_role("button", name="Record the decision").click()
    assert "Consent" in page.locator(".govuk-notification-banner").inner_text()
    check_page(page, axe_violations)

    page.get_by_role("link", name=f"Record the decision on {second.reference}").click()
    page.get_by_label("Do not adopt").check()
    page.get_by_label("No further action").check()
    page.get_by_label("Reason for the decision").fill("No vulnerability to radicalisation.")
    page.get_by_role("button", name="Record the decision").click()
    check_page(page, axe_violations, screenshot, "role-chair-decided")

    assert Referral.objects.get(pk=first.pk).status == "consent"
    assert Referral.objects.get(pk=second.pk).status == "no_further_action"
    assert PanelMeeting.objects.get().agenda_items.filter(decision="").count() == 0


def test_the_coordinator_logs_training_and_evaluations_then_makes_the_annual_report(
    page, persona, reference_data, sign_in, screenshot, axe_violations, tmp_path
):
    seed_report_reference()
    build_report_data(persona)
    edition = make_edition()
    persona("coordinator")

    sign_in("coordinator")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Training").click()
    check_page(page, axe_violations, screenshot, "role-coordinator-training")
    page.get_by_role("link", name="Log a session").click()
    page.get_by_role("button", name="Save the session").click()  # empty: errors first
    check_error_state(page, axe_violations, expect="Enter the date of the session")
    page.get_by_label("Date of the session").fill("2026-10-06")
    page.get_by_label("Course").select_option(label="Prevent and Radicalisation")
    page.get_by_label("Face-to-face").check()
    page.get_by_label("Add an organisation not in the list").fill("Invented Youth Forum")
    page.get_by_label("District").select_option(label="Swale")
    page.get_by_label("Number of attendees").fill("18")
    page.get_by_role("button", name="Save the session").click()
    session = TrainingSession.objects.get(attendees=18)
    assert page.get_by_text(f"Session {session.reference} saved").is_visible()
    check_page(page, axe_violations, screenshot, "role-coordinator-session")

    page.get_by_role("button", name="Add the evaluation").click()  # empty: errors first
    check_error_state(
        page, axe_violations, screenshot, "role-coordinator-evaluation-errors",
        expect="Select whether the session met expectations",
    )  # fmt: skip
    page.get_by_role("group", name="Did the session meet expectations?").get_by_role(
        "radio"
    ).first.check()
    page.get_by_role("group", name="How valuable is it to their role?").get_by_role(
        "radio"
    ).first.check()
    page.get_by_label("Comment", exact=True).fill("Clear and practical (invented).")
    page.get_by_role("button", name="Add the evaluation").click()
    assert Evaluation.objects.filter(session=session).count() == 1
    check_page(page, axe_violations)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Figures").click()
    check_page(page, axe_violations, screenshot, "role-coordinator-figures")
    page.goto("/annual-report/")
    check_page(page, axe_violations)
    page.get_by_role("link", name=edition.title, exact=True).click()
    expect(page.locator("main")).to_contain_text("Appendix: the training offer")
    check_page(page, axe_violations, screenshot, "role-coordinator-annual-preview")
    page.get_by_role("button", name="Make the PDF in the background").click()
    expect(page.locator("h1")).to_contain_text("Making the PDF")
    check_page(page, axe_violations)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.reload()
    expect(page.locator("h1")).to_contain_text("PDF ready")
    check_page(page, axe_violations, screenshot, "role-coordinator-annual-ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    assert "Prevent annual report 2026" in pdf_text(path.read_bytes())
    assert GeneratedReport.objects.get().status == GeneratedReport.Status.FINISHED


def test_business_support_minutes_a_board_meeting(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("support")
    make_member(name="Ada Invented", partner_name="Kent Police")
    today = timezone.localdate()

    sign_in("support")
    check_page(page, axe_violations, screenshot, "role-support-home")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnership").click()
    check_page(page, axe_violations)
    page.get_by_role("link", name="Board meetings").click()
    check_page(page, axe_violations)
    page.get_by_role("link", name="Add a board meeting").click()
    page.get_by_role("button", name="Save").click()  # empty: errors first
    check_error_state(
        page, axe_violations, screenshot, "role-support-meeting-errors",
        expect="Enter the date of the meeting",
    )  # fmt: skip
    page.get_by_label("Date of the meeting").fill(today.isoformat())
    attendees = page.get_by_role("combobox", name="Attendees")
    attendees.fill("ada")
    page.get_by_role("option", name="Ada Invented", exact=False).first.click()
    page.get_by_label("Minutes").fill("The board reviewed the plan (invented minutes).")
    page.get_by_role("button", name="Save").click()
    meeting = BoardMeeting.objects.get()
    assert [m.name for m in meeting.attendees.all()] == ["Ada Invented"]
    check_page(page, axe_violations, screenshot, "role-support-meeting")

    page.get_by_role("link", name="Add an action").click()
    page.get_by_role("button", name="Save").click()  # empty: errors first
    check_error_state(page, axe_violations, expect="Enter the action")
    page.get_by_label("Action", exact=True).fill("Circulate the revised plan")
    page.get_by_label("Owner").fill("Business support")
    page.get_by_label("Due date").fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Save").click()
    assert "Circulate the revised plan" in page.locator("main").inner_text()
    check_page(page, axe_violations, screenshot, "role-support-meeting-minuted")
    assert MeetingAction.objects.get().meeting == meeting


def test_a_board_member_reads_progress_and_figures_and_reaches_no_case(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("board")
    today = timezone.localdate()
    plan = make_plan(starts_on=today - timedelta(days=90), ends_on=today + timedelta(days=275))
    make_action(plan, reference="4.1", heading=4, status="on_track", rag="green",
                description="Deliver Prevent Awareness sessions")  # fmt: skip
    make_action(plan, reference="4.2", heading=4, status="at_risk", rag="amber")
    referral = new_referral(given="Dale", family="Notshownford")

    sign_in("board")
    check_page(page, axe_violations, screenshot, "role-board-home")
    nav = page.get_by_role("navigation", name="Menu")
    assert nav.get_by_role("link", name="Cases").count() == 0
    nav.get_by_role("link", name="Partnership").click()
    check_page(page, axe_violations)
    page.get_by_role("link", name="See every action of the plan").click()
    check_page(page, axe_violations, screenshot, "role-board-plan")
    page.get_by_label("Progress updated after (YYYY-MM-DD)").fill("31/13/2026")
    page.get_by_role("button", name="Apply filters").click()
    check_error_state(page, axe_violations, expect="Enter a valid date")
    page.goto("/partnership/")
    page.get_by_role("link", name="Board view: progress, overdue actions and risks").click()
    assert page.locator('svg[aria-label^="Training"]').count() == 1
    check_page(page, axe_violations, screenshot, "role-board-view")
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Figures").click()
    check_page(page, axe_violations, screenshot, "role-board-figures")

    for url in ("/referrals/", f"/referrals/case/{referral.pk}/", "/referrals/panels/"):
        response = page.goto(url)
        assert response.status in (403, 404), url
        text = page.locator("body").inner_text()
        assert "Notshownford" not in text and referral.reference not in text, url
    check_page(page, axe_violations, screenshot, "role-board-refused")
    assert not AuditEvent.objects.filter(
        actor_username="board", verb=AuditEvent.Verb.VIEW, target_id=str(referral.pk)
    ).exists()


def test_the_administrator_reads_the_audit_log_and_resets_a_users_mfa(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("admin")
    # An account without case access: resetting a case role's MFA waits for a supervisor
    # (tests/accounts/test_access_browser.py walks that).
    target = persona("education")
    sign_in("education")  # an event of the user's to find in the log
    sign_out(page)

    sign_in("admin")
    check_page(page, axe_violations, screenshot, "role-admin-home")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    check_page(page, axe_violations, screenshot, "role-admin-audit-log")
    # The date fields are date pickers; a link or bookmark can still carry a bad date.
    page.goto("/audit/?date_from=2026-02-31")
    check_error_state(page, axe_violations, screenshot, "role-admin-audit-errors",
                      expect="Enter a real date")  # fmt: skip
    page.goto("/audit/")
    page.get_by_label("Username").fill("education")
    page.get_by_role("button", name="Apply filters").click()
    assert "education" in page.locator("main table").first.inner_text()
    check_page(page, axe_violations)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    check_page(page, axe_violations, screenshot, "role-admin-users")
    page.get_by_role("link", name=target.get_full_name()).first.click()
    check_page(page, axe_violations)
    page.get_by_role("link", name="Reset MFA").click()
    check_page(page, axe_violations, screenshot, "role-admin-mfa-reset")
    page.get_by_role("button", name=f"Reset MFA for {target.get_full_name()}").click()
    assert "MFA reset for" in page.locator(".govuk-notification-banner").inner_text()
    check_page(page, axe_violations)
    assert not target.totpdevice_set.exists()
    assert AuditEvent.objects.filter(actor_username="admin", target_id=str(target.pk)).exists()
