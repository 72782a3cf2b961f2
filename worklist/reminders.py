"""The daily reminder digest: each user's overdue tasks and those due today, by email.

References and kinds of task only: never a name, and never a manual task's title (free
text that may name people). One digest per user per day (ReminderSent): running the
command twice on a day sends nothing more. Each digest sent is audited.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.words import counted
from worklist.choices import TaskKind
from worklist.models import ReminderSent
from worklist.selectors import reminders_due


def digest_text(tasks, *, today: date, base_url: str) -> str:
    lines = ["Your tasks in Prevent Portal that are overdue or due today:", ""]
    for task in tasks:
        when = "due today" if task.due_on == today else f"overdue since {task.due_on:%-d %B %Y}"
        url = base_url + reverse("worklist:case-tasks", kwargs={"pk": task.referral_id})
        lines.append(f"- {task.referral.reference}: {TaskKind(task.kind).label}, {when}")
        lines.append(f"  {url}")
    lines += ["", "Your overdue tasks and those due soon: " + base_url + reverse("worklist:index")]
    return "\n".join(lines) + "\n"


def reminders_send(*, today: date, base_url: str = "") -> dict[str, int]:
    """Send today's digests; {"sent": n, "skipped": n} (skipped: already sent today)."""
    base_url = base_url.rstrip("/")
    sent = skipped = 0
    for user, tasks in reminders_due(today).items():
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=user, sent_on=today, tasks=len(tasks))
                count = len(tasks)
                send_mail(
                    subject=f"Prevent Portal: {count} task{'s' if count != 1 else ''} "
                    "overdue or due today",
                    message=digest_text(tasks, today=today, base_url=base_url),
                    from_email=None,  # DEFAULT_FROM_EMAIL
                    recipient_list=[user.email],
                )
                audit_record(
                    actor=None,
                    actor_username="system",
                    verb=AuditEvent.Verb.EXPORT,
                    summary=f"Emailed the task reminder of {today:%Y-%m-%d} to "
                    f"{user.get_username()}: {counted(count, 'task')}",
                    target=("worklist.reminder", user.pk),
                    changes={"references": sorted({t.referral.reference for t in tasks})},
                )
        except IntegrityError:
            skipped += 1  # already sent today (the row exists): send nothing
            continue
        sent += 1
    return {"sent": sent, "skipped": skipped}


def default_base_url() -> str:
    return getattr(settings, "PORTAL_BASE_URL", "")
