import pytest

from casework.models import CaseNote
from retention.models import Disposal, DisposalStatus
from tests.retention.conftest import full_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_proposes_and_chair_approves_a_disposal(
    page, persona, sign_in, screenshot, axe_violations
):
    coordinator = persona("coordinator")
    chair = persona("chair")
    chair.can_see_identities = True
    chair.save()
    referral = full_case(coordinator)

    sign_in("coordinator")
    page.goto("/referrals/disposal/")
    assert referral.reference in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("retention-queue")
    page.get_by_role("link", name=referral.reference).click()
    page.get_by_role("button", name="Propose disposal").click()  # no reason: an error
    assert "Select why" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations() == []
    screenshot("retention-propose-error")
    page.get_by_label("The retention period has ended").check()
    page.get_by_role("button", name="Propose disposal").click()
    assert "Disposal proposed" in page.locator("main").inner_text()
    assert "A second supervisor must approve" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("retention-proposed")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")

    sign_in("chair")
    page.goto(f"/referrals/case/{referral.pk}/")
    assert "Testwood" in page.locator("main").inner_text()  # identities before disposal
    page.get_by_role("link", name="Retention").click()
    screenshot("retention-approve")
    page.get_by_role("button", name="Approve and dispose of the case").click()
    main = page.locator("main").inner_text()
    assert "This case was disposed of on" in main
    assert "approved by" in main
    assert axe_violations() == []
    screenshot("retention-disposed")
    assert Disposal.objects.get().status == DisposalStatus.DISPOSED
    assert not CaseNote.objects.filter(referral=referral).exists()

    page.goto(f"/referrals/case/{referral.pk}/")
    main = page.locator("main").inner_text()
    assert "Testwood" not in main and "Worrying posts" not in main
    assert axe_violations() == []
    screenshot("retention-disposed-case-page")
