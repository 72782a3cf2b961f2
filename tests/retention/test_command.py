from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.retention.conftest import due_case

pytestmark = pytest.mark.django_db


def test_lists_due_cases_and_those_due_in_30_days():
    due = due_case(left=date(2020, 6, 1))  # due 1 June 2026
    soon = due_case(left=date(2020, 12, 10))  # due 10 December 2026
    later = due_case(left=date(2021, 2, 1))  # due 1 February 2027
    out = StringIO()
    call_command("retention_review", "--date", "2026-11-24", stdout=out)
    text = out.getvalue()
    assert "Due for disposal: 1" in text
    assert "Due in the next 30 days: 1" in text
    due_line = next(line for line in text.splitlines() if due.reference in line)
    assert "2020-06-01" in due_line and "2026-06-01" in due_line
    assert (
        text.index(due.reference)
        < text.index("Due in the next 30 days")
        < text.index(soon.reference)
    )
    assert later.reference not in text
    assert "Testwood" not in text and "Jamie" not in text


def test_a_disposed_case_is_not_listed_again(django_user_model):
    from retention.services import disposal_approve, disposal_propose
    from tests.conftest import make_user

    referral = due_case()
    proposal = disposal_propose(
        actor=make_user("one", "coordinator"), referral=referral, reason="retention_ended"
    )
    disposal_approve(actor=make_user("two", "chair"), disposal=proposal, version=1)
    out = StringIO()
    call_command("retention_review", stdout=out)
    assert referral.reference not in out.getvalue()
    assert "Due for disposal: 0" in out.getvalue()


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention_review", "--date", "24/11/2026")
