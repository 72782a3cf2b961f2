"""Who may open each retention page (tests/test_url_walk.py walks them all).

The Disposal queue: supervisors of case work (coordinator, chair). The Retention section
of a case: the case-viewing roles (coordinator, chair, Channel coordinator), who see its
state; only supervisors may act on it.
"""

from tests.referrals.conftest import new_referral

SUPERVISORS = {"coordinator", "chair"}
CASES = {"coordinator", "chair", "channel"}

EXPECTED = {
    "retention:queue": SUPERVISORS,
    "retention:case": CASES,
}


def url_kwargs():
    from referrals.reference import load_reference_models

    load_reference_models()
    return {"retention:case": {"pk": new_referral().pk}}
