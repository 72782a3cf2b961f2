import io
from collections import Counter

import pytest
from django.utils import timezone

from referrals import demo as referrals_demo
from tests.conftest import make_user
from vaf import demo
from vaf.models import Assessment
from vaf.selectors import changes_between_assessments, framework_structure, previous_assessment

pytestmark = pytest.mark.django_db


def test_demo_assessments_follow_the_journey_and_show_change(reference_data):
    make_user("channel", "channel")
    referrals_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    assessments = list(Assessment.objects.select_related("referral"))
    assert len(assessments) >= 10
    statuses = Counter(a.status for a in assessments)
    assert statuses["draft"] == 1 and statuses["completed"] >= 9
    for assessment in assessments:
        referral = assessment.referral
        gathered = referral.events.filter(to_status="information_gathering").first()
        assert gathered is not None
        assert referral.date_received <= assessment.assessed_on <= timezone.localdate()
        assert assessment.ratings.count() == 22
    per_case = Counter(a.referral_id for a in assessments)
    assert 2 in per_case.values()
    later = [a for a in assessments if per_case[a.referral_id] == 2]
    changed = 0
    for assessment in later:
        previous = previous_assessment(assessment)
        if previous is None:
            continue
        groups = changes_between_assessments(
            framework_structure(assessment.framework),
            Assessment.objects.get(pk=assessment.pk),
            previous,
        )
        changed += sum(row.changed for group in groups for row in group.rows)
    assert changed > 0
    demo.seed(stdout=io.StringIO())
    assert Assessment.objects.count() == len(assessments)
