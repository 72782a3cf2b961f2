from django.contrib.auth.models import AbstractUser
from django.db import models

from prevent_portal.accounts.roles import Role


class User(AbstractUser):
    """A member of the partnership's staff or board.

    Roles are held in UserRole (a user may hold several). The two grants below are
    made to a person, not a role (DOMAIN.md, "Tenancy and roles").
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
