"""The roles of a Prevent partnership, and the one registry of what each may do.

A user may hold several roles; their permissions are the union. Two further grants are
made per user, not per role: seeing identities in case records, and subject access.
Every permission check in the portal goes through `has_perm` below.
"""

from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Prevent coordinator"
    CHAIR = "chair", "Strategic manager / panel chair"
    CHANNEL = "channel", "Channel coordinator"
    EDUCATION = "education", "Prevent Education Officer"
    COMMUNITY = "community", "Community Engagement Officer"
    SUPPORT = "support", "Business support officer"
    BOARD = "board", "Board member"
    ADMIN = "admin", "Administrator"


# What each role is for and what it sees, in one line: the user form shows it under the role
# (docs/domain.md, "The people").
ROLE_DESCRIPTIONS = {
    Role.COORDINATOR: "Runs the partnership, the plan and training; supervises case work "
    "and sees everything but the audit log.",
    Role.CHAIR: "Chairs the Channel panel and the board; sees what the coordinator sees.",
    Role.CHANNEL: "Processes referrals, prepares panels and manages Channel cases.",
    Role.EDUCATION: "Supports schools and records education and training work; no cases.",
    Role.COMMUNITY: "Records tension monitoring, incidents and community work; no cases.",
    Role.SUPPORT: "Minutes panel and board meetings; sees case references, not people, "
    "unless granted identities.",
    Role.BOARD: "Follows the plan, risks and figures with small numbers hidden; never a "
    "person's identity.",
    Role.ADMIN: "Manages users, reference data and the audit log; no case content.",
}


class Perm(models.TextChoices):
    # Case work (referrals and Channel).
    CASES_VIEW = "cases.view", "See Channel cases"
    CASES_MANAGE = "cases.manage", "Record and progress referrals and Channel cases"
    CASES_SUPERVISE = "cases.supervise", "Supervise case work and approve disposals"
    PANEL_MINUTES = "cases.panel_minutes", "Minute Channel panel meetings"
    # Activity records.
    TRAINING_VIEW = "training.view", "See training records"
    TRAINING_MANAGE = "training.manage", "Record training sessions and evaluations"
    EDUCATION_VIEW = "education.view", "See education records"
    EDUCATION_MANAGE = "education.manage", "Record education outreach and enquiries"
    COMMUNITY_VIEW = "community.view", "See community records"
    COMMUNITY_MANAGE = "community.manage", "Record tension monitoring, incidents and engagement"
    # Governance.
    PLAN_VIEW = "governance.plan_view", "See the partnership plan, risks and board"
    PLAN_MANAGE = "governance.plan_manage", "Maintain the partnership plan and risks"
    MEETINGS_MANAGE = "governance.meetings_manage", "Minute board meetings"
    REFERENCE_VIEW = "governance.reference_view", "See districts and partner organisations"
    REFERENCE_MANAGE = "governance.reference_manage", "Maintain reference data"
    # Reporting.
    FIGURES_VIEW = "reporting.figures_view", "See aggregate figures (small numbers suppressed)"
    REPORT_MANAGE = "reporting.report_manage", "Edit and publish the annual report"
    REPORT_WRITE = "reporting.report_write", "Write the annual report sections assigned to them"
    # Administration.
    AUDIT_VIEW = "audit.view", "Read and export the audit log"
    USERS_MANAGE = "accounts.users_manage", "Manage user accounts and roles"


_ACTIVITY_VIEW = {
    Perm.TRAINING_VIEW,
    Perm.EDUCATION_VIEW,
    Perm.COMMUNITY_VIEW,
    Perm.PLAN_VIEW,
    Perm.REFERENCE_VIEW,
    Perm.FIGURES_VIEW,
}

# The registry: role -> permissions. Change access here and nowhere else.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        _ACTIVITY_VIEW
        | {
            Perm.CASES_VIEW,
            Perm.CASES_MANAGE,
            Perm.CASES_SUPERVISE,
            Perm.TRAINING_MANAGE,
            Perm.EDUCATION_MANAGE,
            Perm.COMMUNITY_MANAGE,
            Perm.PLAN_MANAGE,
            Perm.MEETINGS_MANAGE,
            Perm.REPORT_MANAGE,
        }
    ),
    Role.CHAIR: frozenset(
        _ACTIVITY_VIEW
        | {
            Perm.CASES_VIEW,
            Perm.CASES_MANAGE,
            Perm.CASES_SUPERVISE,
            Perm.TRAINING_MANAGE,
            Perm.EDUCATION_MANAGE,
            Perm.COMMUNITY_MANAGE,
            Perm.PLAN_MANAGE,
            Perm.MEETINGS_MANAGE,
            Perm.REPORT_MANAGE,
        }
    ),
    Role.CHANNEL: frozenset({Perm.CASES_VIEW, Perm.CASES_MANAGE, Perm.REFERENCE_VIEW}),
    Role.EDUCATION: frozenset(
        {
            Perm.EDUCATION_VIEW,
            Perm.EDUCATION_MANAGE,
            Perm.TRAINING_VIEW,
            Perm.TRAINING_MANAGE,
            Perm.REFERENCE_VIEW,
            Perm.REPORT_WRITE,
        }
    ),
    Role.COMMUNITY: frozenset(
        {Perm.COMMUNITY_VIEW, Perm.COMMUNITY_MANAGE, Perm.REFERENCE_VIEW, Perm.REPORT_WRITE}
    ),
    Role.SUPPORT: frozenset(
        {Perm.PLAN_VIEW, Perm.MEETINGS_MANAGE, Perm.PANEL_MINUTES, Perm.REFERENCE_VIEW}
    ),
    Role.BOARD: frozenset({Perm.PLAN_VIEW, Perm.FIGURES_VIEW}),
    Role.ADMIN: frozenset(
        {Perm.AUDIT_VIEW, Perm.USERS_MANAGE, Perm.REFERENCE_VIEW, Perm.REFERENCE_MANAGE}
    ),
}


# The permissions that open case data: the cases themselves, and the Channel panels'
# agendas, minutes and actions (which are about cases). A role holding any of them is a
# case role; giving one, or either personal grant, needs a second person's approval
# (services.user_update, docs/accounts.md "Case access needs a second person").
CASE_PERMISSIONS = frozenset(
    {Perm.CASES_VIEW, Perm.CASES_MANAGE, Perm.CASES_SUPERVISE, Perm.PANEL_MINUTES}
)
CASE_ROLES = frozenset(
    role for role, granted in ROLE_PERMISSIONS.items() if granted & CASE_PERMISSIONS
)


def permissions_for_roles(roles) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def permissions_for(user) -> frozenset[str]:
    """The permissions of a signed-in, active user; none for anyone else.

    Cached on the user object for the length of the request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_portal_permissions", None)
    if cached is None:
        cached = permissions_for_roles(user.role_codes)
        user._portal_permissions = cached
    return cached


def has_perm(user, perm: str) -> bool:
    return perm in permissions_for(user)
