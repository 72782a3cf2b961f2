"""Who may open each case work page (tests/test_url_walk.py walks them all).

Case-viewing roles (coordinator, chair, Channel coordinator) see and record; everyone
else 403. The form pages need Perm.CASES_MANAGE, which those three roles all hold.
The reference data of support plans (providers, types of intervention): administrators.
"""

CASES = {"coordinator", "chair", "channel"}

EXPECTED = {
    "casework:consent-support": CASES,
    "casework:consent-create": CASES,
    "casework:intervention-create": CASES,
    "casework:intervention-edit": CASES,
    "casework:notes": CASES,
    "casework:note-create": CASES,
    "casework:risk": CASES,
    "casework:risk-create": CASES,
    "casework:risk-edit": CASES,
    # Reference data for support plans: administrators only.
    "casework:reference": {"admin"},
    "casework:provider-create": {"admin"},
    "casework:provider-edit": {"admin"},
    "casework:intervention-type-create": {"admin"},
    "casework:intervention-type-edit": {"admin"},
}


CASE_PAGES = {
    "consent-support",
    "consent-create",
    "intervention-create",
    "notes",
    "note-create",
    "risk",
    "risk-create",
}


def url_kwargs():
    from datetime import date

    from casework.reference import load_reference_models
    from casework.services import note_add, risk_flag_raise
    from tests.casework.conftest import add_intervention, adopted_referral, at

    load_reference_models()
    referral = adopted_referral(family="Walkwood")
    intervention = add_intervention(referral)
    note_add(
        actor=None,
        referral=referral,
        contact_at=at(date(2026, 3, 13)),
        kind="phone_call",
        text="Invented call",
    )
    flag = risk_flag_raise(
        actor=None,
        referral=referral,
        kind="mash",
        raised_on=date(2026, 3, 14),
        to_whom="Invented MASH",
        reason="Invented concern",
    )
    case = {"pk": referral.pk}
    return {
        **{name: case for name in EXPECTED if name.split(":")[1] in CASE_PAGES},
        "casework:provider-edit": {"pk": intervention.provider_id},
        "casework:intervention-type-edit": {"pk": intervention.kind_id},
        "casework:intervention-edit": {"pk": referral.pk, "intervention_pk": intervention.pk},
        "casework:risk-edit": {"pk": referral.pk, "flag_pk": flag.pk},
    }
