"""django-axes hooks: the client's address, and the audit event of a lockout."""

from axes.backends import AxesStandaloneBackend
from axes.signals import user_locked_out
from django.dispatch import receiver

from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first in AUTHENTICATION_BACKENDS.

    Every sign-in over the web passes the request, and is checked. A call without one
    (the test client's login(), a shell) has no address to key a lockout on: it is left
    to the next backend instead of failing outright, as axes' own backend would.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    # The address the audit log records too (prevent_portal/audit/middleware.py).
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs):
    # The failed attempt itself is audited by signals.record_login_failed; this is the
    # one extra event that says the pair is now locked. Attempts made while locked are
    # sent here again with no failure count: those are failed sign-ins and nothing more.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    audit_record(
        actor=None,
        actor_username=(username or "(no username)")[:150],
        verb=AuditEvent.Verb.LOCKOUT,
        summary="Sign-in locked for 15 minutes after 5 failed attempts",
        changes={"locked_out": {"new": True}},
    )
