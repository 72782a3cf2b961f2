"""Who may open each information-sharing page (tests/test_url_walk.py walks them all).

The register and a case's Disclosures section: case-viewing roles (coordinator, chair,
Channel coordinator); changing the register and the log across cases: supervisors of case
work. Subject access needs per-user grants (subject access and identities) that no
persona holds by role, so every persona gets a 403 there: tests/disclosures/test_views.py
proves that a coordinator holding both grants gets in.
"""

SUPERVISORS = {"coordinator", "chair"}
CASES = {"coordinator", "chair", "channel"}

EXPECTED = {
    "disclosures:index": CASES,
    "disclosures:agreement-list": CASES,
    "disclosures:agreement-create": SUPERVISORS,
    "disclosures:agreement-edit": SUPERVISORS,
    "disclosures:agreement-end": SUPERVISORS,
    "disclosures:log": SUPERVISORS,
    "disclosures:case": CASES,
    "disclosures:entry-create": CASES,
    "disclosures:sar-list": set(),
    "disclosures:sar-start": set(),
    "disclosures:sar-create": set(),
    "disclosures:sar-review": set(),
    "disclosures:sar-release": set(),
    "disclosures:sar-download": set(),
}

# The bundle download asks for the password and a fresh code first (a case export).
REAUTH = {"disclosures:sar-download"}


def url_kwargs():
    from tests.disclosures.conftest import make_agreement, make_request
    from tests.referrals.conftest import new_referral

    referral = new_referral()
    request = make_request(referral.person)
    agreement = make_agreement()
    return {
        "disclosures:agreement-edit": {"pk": agreement.pk},
        "disclosures:agreement-end": {"pk": agreement.pk},
        "disclosures:case": {"pk": referral.pk},
        "disclosures:entry-create": {"pk": referral.pk},
        "disclosures:sar-create": {"person_pk": referral.person_id},
        "disclosures:sar-review": {"pk": request.pk},
        "disclosures:sar-release": {"pk": request.pk},
        "disclosures:sar-download": {"pk": request.pk},
    }
