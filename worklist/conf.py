"""How far ahead the journey's tasks fall due: one table, overridable in settings.

WORKLIST_INTERVALS (a dict in Django settings) overrides any of these, in days:

  gateway_outcome      after receipt: the police gateway's outcome is due (default 10)
  prepare_panel        after the step into information gathering, when no Channel panel
                       is in the diary (default 28); with one, the task is due
                       `prepare_panel_before` days before the next panel (default 1)
  consent_follow_up    after the panel's decision to adopt: follow up consent (default 14)
  review_due           after adoption or a review at panel: the next review (default 90)

The post-exit reviews are not here: they fall 6 and 12 months after the exit
(referrals.transitions.POST_EXIT_REVIEW_MONTHS), the same months the journey enforces.
"""

from django.conf import settings

DEFAULT_INTERVALS: dict[str, int] = {
    "gateway_outcome": 10,
    "prepare_panel": 28,
    "prepare_panel_before": 1,
    "consent_follow_up": 14,
    "review_due": 90,
}

# "Due soon" on the My work page: tasks due within this many days from today.
DUE_SOON_DAYS = 14


def interval(name: str) -> int:
    overrides = getattr(settings, "WORKLIST_INTERVALS", None) or {}
    if name not in DEFAULT_INTERVALS:
        raise KeyError(f"No worklist interval named {name!r}")
    return int(overrides.get(name, DEFAULT_INTERVALS[name]))
