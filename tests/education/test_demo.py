import io

import pytest

from education import demo
from education.models import Enquiry, Newsletter, OutreachSession, Setting
from governance.models import District

pytestmark = pytest.mark.django_db


def test_demo_data_is_invented_spread_over_districts_and_idempotent(reference_data, persona):
    persona("education")
    persona("coordinator")
    demo.seed(stdout=io.StringIO())
    counts = (
        Setting.objects.count(),
        OutreachSession.objects.count(),
        Enquiry.objects.count(),
        Newsletter.objects.count(),
    )
    assert counts[0] == 300
    assert 60 <= counts[1] <= 100
    assert counts[2] > 0 and counts[3] == 6
    assert Setting.objects.filter(is_open=False).exists()
    assert all(900001 <= urn <= 900400 for urn in Setting.objects.values_list("urn", flat=True))
    assert District.objects.filter(settings__isnull=False).distinct().count() == 13
    assert set(OutreachSession.objects.values_list("peo__username", flat=True)) == {
        "education",
        "coordinator",
    }
    demo.seed(stdout=io.StringIO())
    assert (
        Setting.objects.count(),
        OutreachSession.objects.count(),
        Enquiry.objects.count(),
        Newsletter.objects.count(),
    ) == counts
