"""Who may open each referrals page (tests/test_url_walk.py walks them all).

Case pages: the coordinator, the chair and the Channel coordinator; everyone else 403.
Journey pages opened without a journey answer 200 with a "start a referral" notice.
The person's edit page needs the identity grant on top of the role, which no persona of
the walk holds: 403 for all (tests/referrals/test_editing.py opens it with the grant).
Reassigning a case, importing earlier referrals and a case's access log: supervisors
(coordinator, chair). Confirming a possible match that intake did not show needs the
identity grant too: 403 for all (tests/referrals/test_matching.py opens it with the grant).
"""

from datetime import date

from referrals.models import Referral
from tests.referrals.conftest import new_referral

CASES = {"coordinator", "chair", "channel"}
SUPERVISORS = {"coordinator", "chair"}

EXPECTED = {
    "referrals:categories": {"admin"},
    "referrals:category-create": {"admin"},
    "referrals:category-edit": {"admin"},
    "referrals:index": CASES,
    "referrals:case-export": CASES,
    "referrals:referral-detail": CASES,
    "referrals:case-access-log": SUPERVISORS,
    "referrals:intake-start": CASES,
    "referrals:intake-person": CASES,
    "referrals:intake-match": CASES,
    "referrals:intake-person-details": CASES,
    "referrals:intake-referrer": CASES,
    "referrals:intake-concern-types": CASES,
    "referrals:intake-concerns": CASES,
    "referrals:intake-received": CASES,
    "referrals:intake-check": CASES,
    "referrals:person-edit": set(),
    "referrals:referral-edit": CASES,
    "referrals:case-manager-edit": SUPERVISORS,
    "referrals:import": SUPERVISORS,
    "referrals:import-confirm": SUPERVISORS,
    "referrals:match-review-list": set(),
    "referrals:match-review": set(),
}

# Case exports: a fresh password and code first (tests/test_url_walk.py).
REAUTH = {"referrals:case-export"}


def url_kwargs():
    from referrals.models import ReferralImport
    from referrals.reference import load_reference_models

    load_reference_models()
    case = {"pk": new_referral().pk}
    pending = ReferralImport.objects.create(
        sha256="0" * 64,
        content=b"given_names,family_name,sex,sector,concern_types,date_received\n"
        b"Jamie,Testwood,Male,Education,Islamist,2025-05-02\n",
    )
    from referrals.models import PersonMatchReview, Sector

    review = PersonMatchReview.objects.create(
        referral=new_referral(given="Jo", family="Testwood", received=date(2026, 3, 3))
    )
    review.candidates.set([Referral.objects.get(pk=case["pk"]).person])
    return {
        "referrals:category-create": {"kind": "sectors"},
        "referrals:category-edit": {"kind": "sectors", "pk": Sector.objects.first().pk},
        "referrals:referral-detail": case,
        "referrals:case-access-log": case,
        "referrals:person-edit": case,
        "referrals:referral-edit": case,
        "referrals:case-manager-edit": case,
        "referrals:import-confirm": {"pk": pending.pk},
        "referrals:match-review": {"pk": review.pk},
    }
