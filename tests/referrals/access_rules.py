"""Who may open each referrals page (tests/test_url_walk.py walks them all).

Case pages: the coordinator, the chair and the Channel coordinator; everyone else 403.
Journey pages opened without a journey answer 200 with a "start a referral" notice.
"""

from tests.referrals.conftest import new_referral

CASES = {"coordinator", "chair", "channel"}

EXPECTED = {
    "referrals:index": CASES,
    "referrals:referral-detail": CASES,
    "referrals:intake-start": CASES,
    "referrals:intake-person": CASES,
    "referrals:intake-match": CASES,
    "referrals:intake-person-details": CASES,
    "referrals:intake-referrer": CASES,
    "referrals:intake-concern-types": CASES,
    "referrals:intake-concerns": CASES,
    "referrals:intake-received": CASES,
    "referrals:intake-check": CASES,
}


def url_kwargs():
    from referrals.reference import load_reference_models

    load_reference_models()
    return {"referrals:referral-detail": {"pk": new_referral().pk}}
