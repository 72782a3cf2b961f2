"""The daily reminder digest (manage.py task_reminders)."""

import uuid
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from prevent_portal.audit.models import AuditEvent
from tests.conftest import make_user
from tests.referrals.conftest import new_referral
from worklist.models import ReminderSent, Task

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 20)


def run(*args):
    out = StringIO()
    call_command("task_reminders", "--date", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def manual(referral, *, due_on, assigned_to, title="Call Jamie Testwood's school", **extra):
    return Task.objects.create(
        referral=referral,
        kind="other",
        title=title,
        due_on=due_on,
        assigned_to=assigned_to,
        key=f"manual:{uuid.uuid4()}",
        **extra,
    )


@pytest.fixture
def casey(reference_data):
    return make_user("casey", "channel", email="casey@invented.example")


def test_each_user_gets_one_digest_of_overdue_tasks_and_those_due_today(casey):
    referral = new_referral(actor=casey, received=date(2026, 4, 1))  # gateway due 11 April
    manual(referral, due_on=TODAY, assigned_to=casey)
    manual(referral, due_on=TODAY + timedelta(days=1), assigned_to=casey, title="Tomorrow")
    manual(referral, due_on=TODAY, assigned_to=casey, status="done", completed_on=TODAY)
    robin = make_user("robin", "channel", email="robin@invented.example")
    other = new_referral(actor=robin, family="Otherfield", received=date(2026, 4, 15))
    assert "1 sent, 0 already sent today" in run()
    assert len(mail.outbox) == 1  # Robin's gateway task is due on 25 April: no digest
    message = mail.outbox[0]
    assert message.to == ["casey@invented.example"]
    assert message.subject == "Prevent Portal: 2 tasks overdue or due today"
    assert f"{referral.reference}: Gateway outcome due, overdue since 11 April 2026" in message.body
    assert f"{referral.reference}: Other task, due today" in message.body
    assert f"/referrals/case/{referral.pk}/tasks/" in message.body
    assert other.reference not in message.body
    for secret in ("Jamie", "Testwood", "Tomorrow", "school"):
        assert secret not in message.body + message.subject
    assert ReminderSent.objects.get(user=casey).tasks == 2
    audit = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT, target_type="worklist.reminder")
    assert audit.changes == {"references": [referral.reference]}


def test_a_second_run_on_the_same_day_sends_nothing(casey):
    new_referral(actor=casey, received=date(2026, 4, 1))
    assert "1 sent, 0 already sent today" in run()
    assert "0 sent, 1 already sent today" in run()
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("task_reminders", "--date", "2026-04-21", stdout=out)
    assert len(mail.outbox) == 2


def test_no_digest_without_an_email_address_or_for_a_case_out_of_scope(casey, settings):
    nomail = make_user("nomail", "channel")
    new_referral(actor=nomail, received=date(2026, 4, 1))
    settings.REFERRALS_SCOPE = "assigned"
    referral = new_referral(actor=make_user("robin", "channel"), family="Scoped")
    manual(referral, due_on=TODAY, assigned_to=casey)  # assigned, but no longer their case
    run()
    assert mail.outbox == []


def test_links_use_the_base_url(casey):
    new_referral(actor=casey, received=date(2026, 4, 1))
    run("--base-url", "https://portal.invented.example/")
    assert "https://portal.invented.example/referrals/case/" in mail.outbox[0].body


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("task_reminders", "--date", "20 April")
