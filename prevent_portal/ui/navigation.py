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
    # One permission, or a tuple of permissions any one of which opens the area.
    permission: str | tuple[str, ...]
    description: str
    # False: on the home page only, not in the service navigation (kept to one row for
    # the roles that open most areas); the area links to it from a page of its own.
    in_navigation: bool = True

    def opens_for(self, user) -> bool:
        perms = (self.permission,) if isinstance(self.permission, str) else self.permission
        return any(has_perm(user, perm) for perm in perms)


AREAS: tuple[Area, ...] = (
    Area(
        "worklist",
        "My work",
        "worklist:index",
        Perm.CASES_VIEW,
        "Your open cases, your overdue tasks and those due soon, and the next Channel panel.",
    ),
    Area(
        "referrals",
        "Cases",
        "referrals:index",
        Perm.CASES_VIEW,
        "Prevent referrals and Channel case work, from receipt to post-exit review.",
    ),
    Area(
        "panels",
        "Channel panels",
        "channel:meeting-list",
        (Perm.CASES_VIEW, Perm.PANEL_MINUTES),
        "Channel panel meetings: agendas, decisions, minutes and actions.",
    ),
    Area(
        "information",
        "Information sharing",
        "disclosures:index",
        Perm.CASES_VIEW,
        "Information-sharing agreements, the disclosure log and subject access requests.",
        in_navigation=False,  # also linked from the case list
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
        "Districts, PEO areas, partner organisations, the VAF and intervention providers.",
    ),
    Area(
        "users",
        "Users",
        "accounts:user-list",
        Perm.USERS_MANAGE,
        "Staff accounts, their roles and grants; deactivate and reactivate.",
    ),
    Area(
        "approvals",
        "Access approvals",
        "accounts:change-list",
        (Perm.CASES_SUPERVISE, Perm.USERS_MANAGE),
        "Changes to staff accounts' case access that wait for a second person's approval.",
        in_navigation=False,  # linked from the Users page, My work and the home page
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
        if area.opens_for(user)
    ]
    matches = [item for item in items if path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items


def navigation_areas(user, path: str = "") -> list[dict]:
    """The areas of the service navigation: those of `areas_for` that are shown there."""
    return [item for item in areas_for(user, path) if item["area"].in_navigation]
