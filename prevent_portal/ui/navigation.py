"""The portal's areas: one list drives the service navigation and the home page.

Each area names the permission that opens it, so a role sees only its own areas.
Areas link by URL name; nothing here imports the apps.
"""

from dataclasses import dataclass

from django.urls import reverse

from prevent_portal.accounts.roles import Perm, has_perm


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str
    permission: str
    description: str


AREAS: tuple[Area, ...] = (
    Area(
        "referrals",
        "Cases",
        "referrals:index",
        Perm.CASES_VIEW,
        "Prevent referrals and Channel case work, from receipt to post-exit review.",
    ),
    Area(
        "training",
        "Training",
        "training:index",
        Perm.TRAINING_VIEW,
        "The training offer, sessions delivered, audiences reached and evaluations.",
    ),
    Area(
        "education",
        "Education",
        "education:index",
        Perm.EDUCATION_VIEW,
        "Education settings, outreach sessions, enquiries and newsletters.",
    ),
    Area(
        "community",
        "Community",
        "community:index",
        Perm.COMMUNITY_VIEW,
        "Online tension monitoring, incidents and community engagement.",
    ),
    Area(
        "governance",
        "Partnership",
        "governance:index",
        Perm.PLAN_VIEW,
        "The Prevent Duty Delivery Board, the partnership plan and the risk assessment.",
    ),
    Area(
        "figures",
        "Figures",
        "reporting:figures",
        Perm.FIGURES_VIEW,
        "Aggregate figures for the partnership, with small numbers suppressed.",
    ),
    Area(
        "reference",
        "Reference data",
        "governance:reference",
        Perm.REFERENCE_MANAGE,
        "Districts, PEO areas and partner organisations.",
    ),
    Area(
        "audit",
        "Audit log",
        "audit:event-list",
        Perm.AUDIT_VIEW,
        "Who did what, when and from where.",
    ),
)


def areas_for(user, path: str = "") -> list[dict]:
    """The areas `user` may open; the one whose URL is the longest prefix of `path`
    is marked current."""
    items = [
        {"area": area, "url": reverse(area.url_name), "current": False}
        for area in AREAS
        if has_perm(user, area.permission)
    ]
    matches = [item for item in items if path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items
