"""Who may open each worklist page (tests/test_url_walk.py walks them all).

My work and the Tasks section of a case: the case-viewing roles (coordinator, chair,
Channel coordinator); everyone else 403.
"""

from tests.referrals.conftest import new_referral

CASES = {"coordinator", "chair", "channel"}

EXPECTED = {
    "worklist:index": CASES,
    "worklist:case-tasks": CASES,
    "worklist:task-create": CASES,
    "worklist:task-complete": CASES,
}


def url_kwargs():
    from referrals.reference import load_reference_models

    load_reference_models()
    referral = new_referral()
    task = referral.tasks.get()  # the receipt opens "Gateway outcome due"
    return {
        "worklist:case-tasks": {"pk": referral.pk},
        "worklist:task-create": {"pk": referral.pk},
        "worklist:task-complete": {"pk": referral.pk, "task_pk": task.pk},
    }
