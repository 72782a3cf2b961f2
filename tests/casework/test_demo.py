import io

import pytest
from django.core.management import call_command

from casework.models import CaseNote, ConsentRecord, Intervention, RiskFlag
from referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_demo_case_work_is_consistent_and_idempotent(reference_data, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    adopted = Referral.objects.filter(status__in=["adopted", "reviewed", "exit"]).count()
    assert adopted and ConsentRecord.objects.filter(decision="given").count() >= adopted
    for record in ConsentRecord.objects.select_related("referral", "event"):
        assert record.event.referral_id == record.referral_id
        assert record.decided_on >= record.referral.date_received
    assert Intervention.objects.exists() and CaseNote.objects.exists()
    assert RiskFlag.objects.filter(closed_on__isnull=True).exists()
    counts = [m.objects.count() for m in (CaseNote, ConsentRecord, Intervention, RiskFlag)]
    call_command("seed_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in (CaseNote, ConsentRecord, Intervention, RiskFlag)] == counts
