import uuid

import pytest
from django.db import IntegrityError

from prevent_portal.audit.models import AuditEvent
from tests.conftest import make_user
from tests.referrals.conftest import new_referral
from tests.vaf.conftest import completed, days_ago, gathering_case, ratings, structure
from vaf.models import Assessment, Factor, Framework, Rating
from vaf.selectors import changes_between_assessments, framework_structure, previous_assessment
from vaf.services import (
    AssessmentError,
    FrameworkError,
    RatingInput,
    StaleAssessmentError,
    assessment_create,
    assessment_update,
    framework_create_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(reference_data):
    return make_user("assessor", "channel")


def test_a_draft_may_leave_factors_unrated(actor):
    referral = gathering_case(actor=actor)
    draft = assessment_create(
        actor=actor, referral=referral, assessed_on=days_ago(3), ratings={}, summary=""
    )
    assert draft.status == "draft" and draft.version == 1
    assert draft.framework == Framework.objects.get(is_current=True)
    assert draft.assessor == actor
    assert Rating.objects.filter(assessment=draft).count() == 22
    assert not Rating.objects.filter(assessment=draft, level__isnull=False).exists()


def test_completing_needs_every_factor_a_summary_and_a_plan(actor):
    referral = gathering_case(actor=actor)
    partial = ratings()
    partial.pop("criminal_history")
    with pytest.raises(AssessmentError, match="Select a rating for factor 22: Criminal history"):
        assessment_create(
            actor=actor,
            referral=referral,
            assessed_on=days_ago(3),
            ratings=partial,
            summary="S",
            management_plan="P",
            complete=True,
        )
    with pytest.raises(AssessmentError, match="Enter the management plan"):
        assessment_create(
            actor=actor,
            referral=referral,
            assessed_on=days_ago(3),
            ratings=ratings(),
            summary="S",
            complete=True,
        )
    assert not Assessment.objects.exists()


def test_a_factor_with_evidence_needs_a_note(actor):
    referral = gathering_case(actor=actor)
    given = ratings()
    given["status"] = RatingInput(level=given["status"].level.framework.levels.get(
        key="some_evidence"), note=" ")  # fmt: skip
    with pytest.raises(AssessmentError, match="Enter a note on the evidence for factor 4: Desire"):
        assessment_create(
            actor=actor,
            referral=referral,
            assessed_on=days_ago(3),
            ratings=given,
            summary="S",
            management_plan="P",
            complete=True,
        )


@pytest.mark.parametrize(
    ("on", "message"),
    [(-1, "today or in the past"), (61, "on or after the date the referral was received")],
)
def test_the_date_is_not_in_the_future_nor_before_the_referral(actor, on, message):
    referral = gathering_case(actor=actor, received_days_ago=60)
    with pytest.raises(AssessmentError, match=message):
        assessment_create(actor=actor, referral=referral, assessed_on=days_ago(on), ratings={})
    assert not Assessment.objects.exists()


def test_no_assessment_before_information_gathering(actor):
    referral = new_referral(actor=actor, received=days_ago(20))
    with pytest.raises(AssessmentError, match="reached information gathering"):
        assessment_create(actor=actor, referral=referral, assessed_on=days_ago(3), ratings={})


def test_a_level_from_another_scale_is_refused(actor):
    referral = gathering_case(actor=actor)
    other = framework_create_version(
        actor=None, version_label="Later", in_force_from=days_ago(1), wordings={}
    )
    Framework.objects.filter(pk=other.pk).update(is_current=False)
    Framework.objects.exclude(pk=other.pk).update(is_current=True)
    foreign = other.levels.get(key="not_present")
    with pytest.raises(AssessmentError, match="not on this version's rating scale"):
        assessment_create(
            actor=actor,
            referral=referral,
            assessed_on=days_ago(3),
            ratings={"status": RatingInput(level=foreign)},
        )


def test_create_is_audited_without_free_text_or_ratings(actor):
    referral = gathering_case(actor=actor)
    completed(referral, actor=actor, on=days_ago(3), mental_health="significant_evidence")
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATE, target_id=str(referral.pk))
    event = event.latest("id")
    assert "VAF assessment" in event.summary
    assert event.changes["status"] == {"old": None, "new": "completed"}
    assert event.changes["summary"] == {"set": True}
    assert event.changes["rating_mental_health"] == {"set": True}
    text = str(event.changes)
    for secret in ("Invented summary", "Invented plan", "Invented evidence", "significant"):
        assert secret not in text


def test_a_double_submitted_create_makes_one_assessment(actor):
    referral = gathering_case(actor=actor)
    token = uuid.uuid4()
    first = assessment_create(
        actor=actor, referral=referral, assessed_on=days_ago(3), ratings={}, create_token=token
    )
    second = assessment_create(
        actor=actor, referral=referral, assessed_on=days_ago(2), ratings={}, create_token=token
    )
    assert first.pk == second.pk
    assert Assessment.objects.count() == 1


def test_the_token_is_unique_in_the_database(actor):
    referral = gathering_case(actor=actor)
    token = uuid.uuid4()
    assessment_create(
        actor=actor, referral=referral, assessed_on=days_ago(3), ratings={}, create_token=token
    )
    with pytest.raises(IntegrityError):
        Assessment.objects.create(
            referral=referral,
            framework=Framework.objects.get(is_current=True),
            assessed_on=days_ago(3),
            assessor=actor,
            create_token=token,
        )


def test_update_changes_a_draft_and_audits_which_fields_changed(actor):
    referral = gathering_case(actor=actor)
    draft = assessment_create(
        actor=actor, referral=referral, assessed_on=days_ago(5), ratings=ratings()
    )
    assessment_update(
        actor=actor,
        assessment=draft,
        expected_version=1,
        assessed_on=days_ago(4),
        ratings=ratings(status="some_evidence", note="A secret note"),
        summary="Secret summary",
    )
    stored = Assessment.objects.get(pk=draft.pk)
    assert (stored.version, stored.status, stored.assessed_on) == (2, "draft", days_ago(4))
    assert stored.ratings.get(factor__key="status").level.key == "some_evidence"
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE).latest("id")
    assert event.changes["rating_status"] == {"changed": True}
    assert event.changes["summary"] == {"changed": True}
    assert "rating_under_threat" not in event.changes
    assert event.changes["version"] == {"old": 1, "new": 2}
    assert "secret" not in str(event.changes).lower()


def test_a_stale_version_is_refused_and_nothing_is_overwritten(actor):
    referral = gathering_case(actor=actor)
    draft = assessment_create(
        actor=actor, referral=referral, assessed_on=days_ago(5), ratings=ratings()
    )
    assessment_update(
        actor=actor, assessment=draft, expected_version=1, assessed_on=days_ago(5),
        ratings=ratings(), summary="First editor",
    )  # fmt: skip
    with pytest.raises(StaleAssessmentError, match="changed by someone else"):
        assessment_update(
            actor=actor, assessment=draft, expected_version=1, assessed_on=days_ago(5),
            ratings=ratings(), summary="Second editor",
        )  # fmt: skip
    assert Assessment.objects.get(pk=draft.pk).summary == "First editor"


def test_a_completed_assessment_cannot_be_changed(actor):
    referral = gathering_case(actor=actor)
    done = completed(referral, actor=actor, on=days_ago(3))
    assert done.status == "completed" and done.completed_at is not None
    with pytest.raises(AssessmentError, match="completed: it can no longer be changed"):
        assessment_update(
            actor=actor, assessment=done, expected_version=done.version,
            assessed_on=days_ago(3), ratings=ratings(), summary="Rewrite",
        )  # fmt: skip
    assert Assessment.objects.get(pk=done.pk).summary == "Invented summary"


def test_completing_a_draft(actor):
    referral = gathering_case(actor=actor)
    draft = assessment_create(
        actor=actor, referral=referral, assessed_on=days_ago(5), ratings=ratings()
    )
    assessment_update(
        actor=actor, assessment=draft, expected_version=1, assessed_on=days_ago(5),
        ratings=ratings(), summary="S", management_plan="P", complete=True,
    )  # fmt: skip
    assert Assessment.objects.get(pk=draft.pk).status == "completed"


def test_previous_assessment_and_changes_between_them(actor):
    referral = gathering_case(actor=actor)
    first = completed(referral, actor=actor, on=days_ago(20), status="significant_evidence")
    second = completed(
        referral, actor=actor, on=days_ago(5), status="some_evidence", criminal_history="not_known"
    )
    assert previous_assessment(first) is None
    previous = previous_assessment(Assessment.objects.get(pk=second.pk))
    assert previous.pk == first.pk
    groups = changes_between_assessments(
        structure(), Assessment.objects.get(pk=second.pk), previous
    )
    changed = {row.factor.key: row.direction for g in groups for row in g.rows if row.changed}
    assert changed == {"status": "Less evidence", "criminal_history": "Now not known"}


def test_a_draft_is_not_the_previous_assessment(actor):
    referral = gathering_case(actor=actor)
    assessment_create(actor=actor, referral=referral, assessed_on=days_ago(20), ratings={})
    later = completed(referral, actor=actor, on=days_ago(5))
    assert previous_assessment(later) is None


def test_a_new_version_keeps_old_assessments_and_their_wording(actor):
    referral = gathering_case(actor=actor)
    old = completed(referral, actor=actor, on=days_ago(20), under_threat="some_evidence")
    framework_create_version(
        actor=actor,
        version_label="2027 revision",
        in_force_from=days_ago(1),
        wordings={"under_threat": "Feeling under threat or attack"},
    )
    assert Framework.objects.filter(is_current=True).get().version_label == "2027 revision"
    old = Assessment.objects.get(pk=old.pk)
    assert old.framework.version_label != "2027 revision"
    assert old.ratings.get(factor__key="under_threat").factor.wording == "Feeling under threat"
    new = completed(referral, actor=actor, on=days_ago(1))
    assert new.framework.version_label == "2027 revision"
    rows = {
        row.factor.key: row
        for group in changes_between_assessments(
            framework_structure(new.framework),
            Assessment.objects.get(pk=new.pk),
            previous_assessment(new),
        )  # fmt: skip
        for row in group.rows
    }
    assert rows["under_threat"].factor.wording == "Feeling under threat or attack"
    assert rows["under_threat"].direction == "Less evidence"
    assert Factor.objects.filter(key="under_threat").count() == 2


def test_a_new_version_refuses_a_duplicate_name_or_an_earlier_date():
    with pytest.raises(FrameworkError, match="already exists"):
        framework_create_version(
            actor=None,
            version_label=Framework.objects.get().version_label,
            in_force_from=days_ago(1),
            wordings={},
        )
    with pytest.raises(FrameworkError, match="on or after the current one"):
        framework_create_version(
            actor=None, version_label="Too early", in_force_from=days_ago(5000), wordings={}
        )
    assert Framework.objects.count() == 1
