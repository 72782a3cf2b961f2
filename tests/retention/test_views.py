"""The Disposal queue and the Retention section of a case."""

from datetime import date

import pytest
from django.urls import reverse

from casework.models import CaseNote
from retention.models import Disposal, DisposalStatus, LegalHold
from tests.retention.conftest import SECRETS, due_case, full_case

pytestmark = pytest.mark.django_db

QUEUE = reverse("retention:queue")


def section(referral):
    return reverse("retention:case", kwargs={"pk": referral.pk})


@pytest.fixture
def case(persona):
    return full_case(persona("coordinator"))


def test_the_queue_lists_due_cases_for_supervisors_only(client_as, reference_data):
    due = due_case()
    soon = due_case(left=date.today().replace(year=date.today().year - 6))
    not_due = due_case(left=date(2024, 1, 1))
    response = client_as("chair").get(QUEUE)
    text = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert due.reference in text and soon.reference in text
    assert not_due.reference not in text
    assert "Testwood" not in text
    assert client_as("channel").get(QUEUE).status_code == 403


def test_a_non_supervisor_sees_the_state_but_cannot_act(client_as, case):
    client = client_as("channel")
    response = client.get(section(case))
    assert response.status_code == 200
    assert "Propose disposal" not in response.content.decode()
    response = client.post(section(case), {"action": "propose", "reason": "retention_ended"})
    assert response.status_code == 403
    assert not Disposal.objects.exists()


def test_a_proposal_without_a_reason_shows_an_error_and_saves_nothing(client_as, case):
    response = client_as("coordinator").post(section(case), {"action": "propose"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in text
    assert "Select why the case should be disposed of" in text
    assert not Disposal.objects.exists()


def test_the_proposer_cannot_approve_and_a_second_supervisor_can(client_as, case):
    coordinator = client_as("coordinator")
    response = coordinator.post(section(case), {"action": "propose", "reason": "retention_ended"})
    assert response.status_code == 302
    proposal = Disposal.objects.get()
    page = coordinator.get(section(case)).content.decode()
    assert "A second supervisor must approve" in page
    assert "Approve and dispose of the case" not in page
    response = coordinator.post(section(case), {"action": "approve", "version": 1})
    assert "you proposed this one" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == DisposalStatus.PROPOSED

    chair = client_as("chair")
    assert "Approve and dispose of the case" in chair.get(section(case)).content.decode()
    response = chair.post(section(case), {"action": "approve", "version": 1})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == DisposalStatus.DISPOSED
    assert not CaseNote.objects.filter(referral=case).exists()
    # A second click on the same button changes nothing and says so.
    again = chair.post(section(case), {"action": "approve", "version": 1})
    assert "There is no proposal waiting" in again.content.decode()
    assert Disposal.objects.filter(status=DisposalStatus.DISPOSED).count() == 1


def test_the_disposed_case_shows_who_approved_and_no_personal_data(client_as, persona, case):
    coordinator = client_as("coordinator")
    coordinator.post(section(case), {"action": "propose", "reason": "retention_ended"})
    chair_user = persona("chair")
    chair_user.can_see_identities = True
    chair_user.save()
    chair = client_as("chair")
    chair.post(section(case), {"action": "approve", "version": 1})
    page = chair.get(section(case)).content.decode()
    assert "This case was disposed of on" in page
    assert "approved by" in page
    for url in (
        section(case),
        reverse("referrals:referral-detail", kwargs={"pk": case.pk}),
        reverse("casework:notes", kwargs={"pk": case.pk}),
        reverse("vaf:assessment-list", kwargs={"pk": case.pk}),
        reverse("channel:case-panel", kwargs={"pk": case.pk}),
    ):
        text = chair.get(url).content.decode()
        assert [secret for secret in SECRETS if secret in text] == [], url


def test_withdraw_and_hold_through_the_page(client_as, case):
    coordinator = client_as("coordinator")
    coordinator.post(section(case), {"action": "propose", "reason": "retention_ended"})
    coordinator.post(section(case), {"action": "withdraw", "version": 1})
    assert Disposal.objects.get().status == DisposalStatus.WITHDRAWN
    response = coordinator.post(section(case), {"action": "hold"})
    assert "Select why the case must be kept" in response.content.decode()
    assert not LegalHold.objects.exists()
    coordinator.post(section(case), {"action": "hold", "hold_reason": "litigation"})
    page = coordinator.get(section(case)).content.decode()
    assert "Litigation or a legal claim" in page and "Propose disposal" not in page
    response = coordinator.post(section(case), {"action": "propose", "reason": "retention_ended"})
    assert "under a legal hold" in response.content.decode()
    coordinator.post(section(case), {"action": "lift"})
    assert LegalHold.objects.get().lifted_at is not None


def test_a_case_out_of_scope_is_404(client_as, reference_data):
    response = client_as("chair").get(
        reverse("retention:case", kwargs={"pk": "00000000-0000-0000-0000-000000000000"})
    )
    assert response.status_code == 404


@pytest.mark.parametrize("size", [2, 12])
def test_the_queue_has_a_fixed_query_budget(
    client_as, persona, django_assert_max_num_queries, size
):
    from retention.services import disposal_propose, hold_place

    coordinator = persona("coordinator")
    for number in range(size):
        referral = due_case()
        if number % 2:
            disposal_propose(actor=coordinator, referral=referral, reason="retention_ended")
        else:
            hold_place(actor=coordinator, referral=referral, reason="inquiry")
    client = client_as("chair")
    client.get(QUEUE)
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.content.decode().count("govuk-tag--yellow") == size // 2


def test_the_disposed_banner_tag(persona, case):
    from django.template import Context, Template

    from retention.services import disposal_approve, disposal_propose

    banner = Template("{% load retention %}{% disposed_banner referral %}")
    assert "Disposed of" not in banner.render(Context({"referral": case}))
    proposal = disposal_propose(
        actor=persona("coordinator"), referral=case, reason="retention_ended"
    )
    disposal_approve(actor=persona("chair"), disposal=proposal, version=1)
    text = banner.render(Context({"referral": case}))
    assert "This case was disposed of on" in text and "approved by" in text


def test_nothing_more_can_be_recorded_on_a_disposed_case(client_as, persona, case):
    from django.utils import timezone

    from retention.models import DisposalReason

    Disposal.objects.create(
        referral=case,
        status=DisposalStatus.DISPOSED,
        reason=DisposalReason.values[0],
        proposed_by=persona("coordinator"),
        decided_by=persona("chair"),
        decided_at=timezone.now(),
    )
    client = client_as("coordinator")
    page = client.get(reverse("referrals:referral-detail", args=[case.pk]))
    assert "This case was disposed of" in page.content.decode()
    assert "What happened next?" not in page.content.decode()
    for name in ("referrals:referral-detail", "casework:note-create", "worklist:task-create"):
        response = client.post(reverse(name, args=[case.pk]), {"text": "x"})
        assert response.status_code == 403, name
