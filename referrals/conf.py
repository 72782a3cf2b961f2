"""Deployment-wide choices of the referrals app.

REFERRALS_SCOPE (in Django settings; default "all"): which cases a case manager sees.
  "all"      - every case of the partnership;
  "assigned" - only the cases whose case manager they are (supervisors still see all).
"""

from django.conf import settings

SCOPE_ALL = "all"
SCOPE_ASSIGNED = "assigned"


def referrals_scope() -> str:
    scope = getattr(settings, "REFERRALS_SCOPE", SCOPE_ALL)
    if scope not in (SCOPE_ALL, SCOPE_ASSIGNED):
        raise ValueError(f"REFERRALS_SCOPE must be 'all' or 'assigned', not {scope!r}")
    return scope
