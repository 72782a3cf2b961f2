from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    # bulk_update goes through update(); block it explicitly for a clear message.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be changed.")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which record, when and from where.

    Append-only: the model, its queryset and (on PostgreSQL) a database trigger refuse
    updates and deletes. Written by services inside the same transaction as the change.
    """

    class Verb(models.TextChoices):
        LOGIN = "auth.login", "Signed in"
        LOGOUT = "auth.logout", "Signed out"
        LOGIN_FAILED = "auth.login_failed", "Failed sign-in"
        LOCKOUT = "auth.lockout", "Sign-in locked"
        REAUTH = "auth.reauth", "Confirmed identity"
        ACCESS_DENIED = "access.denied", "Access refused"
        # A 404 on a URL that names a case-work record (the URL's name, never the id).
        NOT_FOUND = "access.not_found", "Case record not found"
        VIEW = "record.view", "Viewed"
        # Intake's likely-match check: which fields were compared and how many matched.
        LOOKUP = "record.lookup", "Looked for a likely match"
        CREATE = "record.create", "Created"
        UPDATE = "record.update", "Changed"
        RETIRE = "record.retire", "Retired"
        RESTORE = "record.restore", "Restored"
        DELETE = "record.delete", "Deleted"
        DISPOSE = "record.dispose", "Disposed of"
        EXPORT = "record.export", "Exported"
        IMPORT = "record.import", "Imported"
        SEED = "system.seed", "Demo data loaded"
        UNUSUAL_ACCESS = "security.unusual_access", "Unusual access"
        ACKNOWLEDGE = "security.acknowledge", "Alert acknowledged"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too: the username attempted on a failed sign-in has no user row.
    actor_username = models.CharField(max_length=150, blank=True)
    verb = models.CharField(max_length=40, choices=Verb.choices)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500)
    # {"field": {"old": ..., "new": ...}} for ordinary fields; for identifying fields
    # only {"field": {"changed": true}}: the log never keeps a copy of personal data.
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The audit page filters by target to show one record's history.
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # ... and by person and time.
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time_idx"),
            models.Index(fields=["verb", "-occurred_at"], name="audit_verb_time_idx"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.verb}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class SecurityAlert(models.Model):
    """A user did much more of something watched than usual in a short time (alerts.py):
    opened case records, ran intake's likely-match lookup, or asked for case pages that
    do not exist or are out of their scope.

    Raised at most once per user, kind and window; a supervisor or an administrator
    other than the user acknowledges it (and may deactivate the account).
    """

    class Kind(models.TextChoices):
        CASE_VIEWS = "case_views", "Case records opened"
        LOOKUPS = "lookups", "Likely-match lookups"
        NOT_FOUND = "not_found", "Case pages not found"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="security_alerts"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CASE_VIEWS)
    raised_at = models.DateTimeField(auto_now_add=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    # How many in the window (distinct cases opened, lookups, or case pages not found, as
    # `kind` says), and the threshold it passed.
    case_count = models.PositiveIntegerField()
    baseline_per_hour = models.FloatField()
    threshold = models.PositiveIntegerField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            # "Is there an alert for this user in the current window?" on each check.
            models.Index(fields=["user", "-window_end"], name="audit_alert_user_idx"),
            # The open alerts, for the alerts page and its count.
            models.Index(fields=["acknowledged_at", "-raised_at"], name="audit_alert_open_idx"),
        ]

    def __str__(self):
        return f"Unusual access by {self.user} ({self.get_kind_display()}: {self.case_count})"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class AuditExport(models.Model):
    """One run of `manage.py export_audit`: the high-water mark the next run starts from."""

    exported_at = models.DateTimeField(auto_now_add=True)
    # The last event written (by id: ids only grow, timestamps may tie).
    last_event_id = models.BigIntegerField()
    event_count = models.PositiveIntegerField()
    # The hash of the manifest line, so that one file can be matched to its run.
    final_hash = models.CharField(max_length=64)
    output = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_event_id"]

    def __str__(self):
        return f"Audit export up to event {self.last_event_id}"
