"""Sign-in, sign-out and failed sign-in are recorded in the audit log.

Django announces these through its auth signals; there is no other hook for them.
Sign-in also stamps the session with its start (for the 10-hour limit) and lists it
against the user (so that deactivation can end it); sign-out removes it.
"""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from prevent_portal.accounts.middleware import SIGNED_IN_AT
from prevent_portal.accounts.models import UserSession
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = time.time()
        if session.session_key is None:
            session.save()
        UserSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})
    audit_record(actor=user, verb=AuditEvent.Verb.LOGIN, summary="Signed in", target=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()
    if user is not None:
        audit_record(actor=user, verb=AuditEvent.Verb.LOGOUT, summary="Signed out", target=user)


@receiver(user_login_failed)
def record_login_failed(sender, credentials, request=None, **kwargs):
    # The username typed is kept so that an administrator can spot guessing; the
    # password never is (Django has already replaced it in `credentials`).
    # views.mfa_verify and mfa_enrol send this signal too for a wrong MFA code (so that
    # django-axes counts it): the code is never passed.
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        actor_username=username or "(no username)",
        verb=AuditEvent.Verb.LOGIN_FAILED,
        summary="Sign-in failed: wrong MFA code" if credentials.get("mfa") else "Sign-in failed",
    )
