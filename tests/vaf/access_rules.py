"""Who may open each VAF page (tests/test_url_walk.py walks them all).

Case sections: the coordinator, the chair and the Channel coordinator; everyone else 403.
Framework versions (reference data): administrators only.
"""

CASES = {"coordinator", "chair", "channel"}

EXPECTED = {
    "vaf:assessment-list": CASES,
    "vaf:assessment-create": CASES,
    "vaf:assessment-detail": CASES,
    "vaf:assessment-edit": CASES,
    "vaf:assessment-changes": CASES,
    "vaf:framework-list": {"admin"},
    "vaf:framework-create": {"admin"},
    "vaf:framework-detail": {"admin"},
}


def url_kwargs():
    from referrals.reference import load_reference_models
    from tests.vaf.conftest import assessor, days_ago, gathering_case, ratings
    from vaf.reference import load_reference_models as load_vaf_models
    from vaf.selectors import current_framework
    from vaf.services import assessment_create

    load_reference_models()
    load_vaf_models()
    referral = gathering_case(family="Walkabout")
    draft = assessment_create(
        actor=assessor(), referral=referral, assessed_on=days_ago(10), ratings=ratings()
    )
    case = {"pk": referral.pk}
    one = {"pk": referral.pk, "assessment_pk": draft.pk}
    return {
        "vaf:assessment-list": case,
        "vaf:assessment-create": case,
        "vaf:assessment-detail": one,
        "vaf:assessment-edit": one,
        "vaf:assessment-changes": one,
        "vaf:framework-detail": {"framework_pk": current_framework().pk},
    }
