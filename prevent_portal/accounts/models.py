import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models

from prevent_portal.accounts.roles import Role


class User(AbstractUser):
    """A member of the partnership's staff or board.

    Roles are held in UserRole (a user may hold several). The two grants below are
    made to a person, not a role (docs/domain.md, "Tenancy and roles").
    """

    can_see_identities = models.BooleanField(
        "may see identities in case records",
        default=False,
        help_text="Names, dates of birth and addresses in case records.",
    )
    can_make_subject_access = models.BooleanField(
        "may produce subject access bundles", default=False
    )
    organisation = models.CharField(max_length=200, blank=True)
    # Optimistic locking for the user administration pages: a stale form is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def role_codes(self) -> list[str]:
        # Uses the prefetch cache when the caller prefetched "roles".
        return [assignment.role for assignment in self.roles.all()]

    @property
    def role_labels(self) -> list[str]:
        return [Role(code).label for code in sorted(self.role_codes)]


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
        ]

    def __str__(self):
        return f"{self.user.username}: {self.get_role_display()}"


class UserSession(models.Model):
    """A session a user signed in with, so that all of them can be ended at once.

    Written at sign-in and removed at sign-out (signals.py); deactivating a user deletes
    every session listed here (services.user_deactivate). Django's session table has no
    link to the user that could be queried.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user.username}: session from {self.created_at:%Y-%m-%d %H:%M}"


class AccountChange(models.Model):
    """A change to an account that waits for a second person: case access (a case role or
    either personal grant) or an MFA reset of an account that holds case access.

    An administrator proposes it (services.user_create, user_update, mfa_reset); a
    supervisor who is neither the proposer nor the account's holder approves or refuses
    it; an administrator may withdraw it. Nothing changes on the account until it is
    approved (docs/accounts.md, "Case access needs a second person").
    """

    class Kind(models.TextChoices):
        ACCESS = "access", "Roles and grants"
        MFA_RESET = "mfa_reset", "MFA reset"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    # For a change of access: {"roles": [...], "can_see_identities": bool,
    # "can_make_subject_access": bool} as the account held them when the change was
    # proposed, and as asked for. Approval is refused when the account no longer holds
    # `access_before` (someone changed it since: the proposal is stale).
    access_before = models.JSONField(default=dict, blank=True)
    access_after = models.JSONField(default=dict, blank=True)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    # Who approved, refused or withdrew it, and when.
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            # One change of each kind waiting per account: a second is refused.
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(status="proposed"),
                name="accounts_change_one_waiting",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="accounts_change_version_positive"
            ),
        ]
        indexes = [
            # The approvals page and the My work banner read the waiting changes.
            models.Index(fields=["status", "proposed_at"], name="accounts_change_status"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user.username}"

    # Grant fields, and how they are named on pages.
    GRANT_LABELS = {
        "can_see_identities": "May see identities",
        "can_make_subject_access": "May produce subject access bundles",
    }

    @property
    def gives(self) -> list[str]:
        """What approval would add (a proposal only ever adds: removals are made at
        once), as labels: the roles, then the grants."""
        before, after = self.access_before, self.access_after
        roles = [
            Role(code).label
            for code in after.get("roles", [])
            if code not in before.get("roles", [])
        ]
        grants = [
            label
            for name, label in self.GRANT_LABELS.items()
            if after.get(name) and not before.get(name)
        ]
        return roles + grants
