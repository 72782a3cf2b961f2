import uuid

import pytest
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent
from tests.conftest import make_user
from tests.queries import assert_same_queries, page_queries
from tests.referrals.conftest import new_referral
from tests.vaf.conftest import completed, days_ago, gathering_case, structure
from vaf.models import Assessment, Framework
from vaf.services import assessment_create

pytestmark = pytest.mark.django_db


def url(name, referral, assessment=None):
    kwargs = {"pk": referral.pk}
    if assessment is not None:
        kwargs["assessment_pk"] = assessment.pk
    return reverse(f"vaf:{name}", kwargs=kwargs)


@pytest.fixture
def channel(client_as, reference_data):
    return client_as("channel")


@pytest.fixture
def me(persona):
    return persona("channel")


def form_data(*, on=None, level="not_present", action="complete", **extra):
    data = {
        "assessed_on": (on or days_ago(2)).isoformat(),
        "summary": extra.pop("summary", "Invented summary"),
        "management_plan": extra.pop("management_plan", "Invented plan"),
        "action": action,
        "token": extra.pop("token", str(uuid.uuid4())),
    }
    for factor in structure().factors:
        data[f"rating_{factor.key}"] = level
        data[f"note_{factor.key}"] = "Invented note" if level != "not_present" else ""
    data.update(extra)
    return data


def test_the_case_has_an_assessments_tab(channel):
    referral = gathering_case()
    content = channel.get(reverse("referrals:referral-detail", kwargs={"pk": referral.pk}))
    assert url("assessment-list", referral) in content.content.decode()


def test_the_list_shows_assessments_and_offers_a_new_one(channel, me):
    referral = gathering_case()
    first = completed(referral, actor=me, on=days_ago(9))
    second = completed(referral, actor=me, on=days_ago(2))
    content = channel.get(url("assessment-list", referral)).content.decode()
    assert "Start a new assessment" in content
    assert url("assessment-detail", referral, first) in content
    assert url("assessment-detail", referral, second) in content
    # The oldest has nothing before it to compare with.
    assert url("assessment-changes", referral, second) in content
    assert url("assessment-changes", referral, first) not in content
    assert content.index(url("assessment-detail", referral, second)) < content.index(
        url("assessment-detail", referral, first)
    )
    assert "Completed" in content


def test_no_new_assessment_before_information_gathering(channel):
    referral = new_referral(received=days_ago(10))
    assert (
        "Start a new assessment"
        not in channel.get(url("assessment-list", referral)).content.decode()
    )
    response = channel.get(url("assessment-create", referral))
    assert response.status_code == 200
    assert "once the case has reached information gathering" in response.content.decode()
    assert channel.post(url("assessment-create", referral), form_data()).status_code == 200
    assert not Assessment.objects.exists()


def test_the_form_groups_factors_by_dimension_in_fieldsets(channel):
    referral = gathering_case()
    content = channel.get(url("assessment-create", referral)).content.decode()
    assert content.count('<fieldset class="govuk-fieldset"') == 22
    assert content.count('type="radio"') == 88
    for heading in ("Engagement with a group", "Intent to cause harm", "Capability to cause"):
        assert heading in content
    assert "22. Criminal history" in content


def test_recording_a_completed_assessment(channel, me):
    referral = gathering_case()
    response = channel.post(url("assessment-create", referral), form_data(level="some_evidence"))
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("assessment-detail", referral, assessment)
    assert assessment.status == "completed" and assessment.assessor == me
    assert assessment.ratings.filter(level__key="some_evidence").count() == 22
    page = channel.get(response["Location"]).content.decode()
    assert "VAF assessment completed" in page
    assert "Change or complete this draft" not in page


def test_errors_are_shown_and_nothing_is_saved(channel):
    referral = gathering_case()
    data = form_data(level="some_evidence", summary="", management_plan="")
    data["rating_criminal_history"] = ""
    data["note_status"] = ""
    data["assessed_on"] = days_ago(-3).isoformat()
    response = channel.post(url("assessment-create", referral), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    for message in (
        "The date of the assessment must be today or in the past",
        "Select a rating for factor 22: Criminal history",
        "Enter a note on the evidence for factor 4: Desire for status",
        "Enter a summary of the assessment",
        "Enter the management plan",
    ):
        assert message in content, message
    assert 'href="#id_rating_criminal_history_1"' in content
    assert 'id="id_rating_criminal_history_1"' in content
    assert not Assessment.objects.exists()


def test_a_date_before_the_referral_is_refused(channel):
    referral = gathering_case(received_days_ago=30)
    response = channel.post(url("assessment-create", referral), form_data(on=days_ago(31)))
    assert "on or after the date the referral was received" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_draft_may_be_saved_incomplete(channel):
    referral = gathering_case()
    data = form_data(action="draft", summary="", management_plan="")
    data["rating_status"] = ""
    response = channel.post(url("assessment-create", referral), data)
    assert response.status_code == 302
    assert Assessment.objects.get().status == "draft"


def test_a_double_submitted_form_makes_one_assessment(channel):
    referral = gathering_case()
    data = form_data()
    first = channel.post(url("assessment-create", referral), data)
    second = channel.post(url("assessment-create", referral), data)
    assert Assessment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_new_assessment_starts_from_the_previous_one(channel, me):
    referral = gathering_case()
    completed(referral, actor=me, on=days_ago(20), mental_health="significant_evidence")
    content = channel.get(url("assessment-create", referral)).content.decode()
    assert (
        'name="rating_mental_health" type="radio" value="significant_evidence" checked' in content
    )
    assert "Previous assessment: Significant evidence" in content
    assert "Invented summary" in content


def test_editing_a_draft_and_completing_it(channel, me):
    referral = gathering_case()
    draft = assessment_create(actor=me, referral=referral, assessed_on=days_ago(4), ratings={})
    page = channel.get(url("assessment-edit", referral, draft)).content.decode()
    assert 'name="version" value="1"' in page
    response = channel.post(url("assessment-edit", referral, draft), form_data(version=1))
    assert response.status_code == 302
    stored = Assessment.objects.get(pk=draft.pk)
    assert (stored.status, stored.version) == ("completed", 2)


def test_a_stale_edit_shows_a_conflict_and_overwrites_nothing(channel, me):
    referral = gathering_case()
    draft = assessment_create(actor=me, referral=referral, assessed_on=days_ago(4), ratings={})
    channel.post(
        url("assessment-edit", referral, draft),
        form_data(action="draft", version=1, summary="First"),
    )
    response = channel.post(
        url("assessment-edit", referral, draft),
        form_data(action="draft", version=1, summary="Second"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in content
    assert Assessment.objects.get(pk=draft.pk).summary == "First"


def test_a_completed_assessment_is_read_only(channel, me):
    referral = gathering_case()
    done = completed(referral, actor=me, on=days_ago(4))
    response = channel.get(url("assessment-edit", referral, done))
    assert response.status_code == 302
    assert response["Location"] == url("assessment-detail", referral, done)
    channel.post(
        url("assessment-edit", referral, done), form_data(version=done.version, summary="X")
    )
    assert Assessment.objects.get(pk=done.pk).summary == "Invented summary"


def test_the_comparison_shows_changes_side_by_side_in_words(channel, me):
    referral = gathering_case()
    completed(referral, actor=me, on=days_ago(20), status="significant_evidence")
    second = completed(referral, actor=me, on=days_ago(5), dehumanisation="some_evidence")
    content = channel.get(url("assessment-changes", referral, second)).content.decode()
    assert "<strong>2</strong> of 22 factors changed" in content
    assert content.count("<caption") == 3
    assert "Previous rating" in content and "This rating" in content
    assert "Less evidence" in content and "More evidence" in content
    assert content.count("No change") >= 20
    only = channel.get(url("assessment-changes", referral, second), {"show": "changes"})
    only = only.content.decode()
    assert "Desire for status" in only and "Dehumanisation of the enemy" in only
    assert "Criminal history" not in only
    assert "Capability to cause harm" not in only


def test_the_first_assessment_has_nothing_to_compare(channel, me):
    referral = gathering_case()
    first = completed(referral, actor=me, on=days_ago(5))
    content = channel.get(url("assessment-changes", referral, first)).content.decode()
    assert "no earlier completed assessment" in content


def test_every_view_is_audited(channel, me):
    referral = gathering_case()
    done = completed(referral, actor=me, on=days_ago(5))
    before = AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW).count()
    for name in ("assessment-list", "assessment-detail", "assessment-changes"):
        channel.get(url(name, referral, None if name == "assessment-list" else done))
    views = AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW, target_id=str(referral.pk))
    assert views.count() == before + 3
    assert "(assessments)" in views.latest("id").summary


@pytest.mark.parametrize("name", ["board", "admin", "education", "community", "support"])
def test_other_roles_get_403(client_as, reference_data, name):
    referral = gathering_case()
    done = completed(referral, actor=make_user("someone", "channel"), on=days_ago(5))
    client = client_as(name)
    for page in ("assessment-list", "assessment-create"):
        assert client.get(url(page, referral)).status_code == 403
    for page in ("assessment-detail", "assessment-edit", "assessment-changes"):
        assert client.get(url(page, referral, done)).status_code == 403
    assert client.post(url("assessment-create", referral), form_data()).status_code == 403
    assert Assessment.objects.count() == 1


def test_a_case_out_of_scope_is_404(channel, settings):
    settings.REFERRALS_SCOPE = "assigned"
    other = make_user("channel9", "channel")
    referral = gathering_case(actor=other)
    done = completed(referral, actor=other, on=days_ago(5))
    assert channel.get(url("assessment-list", referral)).status_code == 404
    assert channel.get(url("assessment-detail", referral, done)).status_code == 404
    assert channel.post(url("assessment-create", referral), form_data()).status_code == 404
    assert Assessment.objects.count() == 1


def test_an_assessment_of_another_case_is_404(channel, me):
    mine, theirs = gathering_case(family="Alpha"), gathering_case(family="Beta")
    done = completed(theirs, actor=me, on=days_ago(5))
    assert channel.get(url("assessment-detail", mine, done)).status_code == 404
    assert channel.get(url("assessment-changes", mine, done)).status_code == 404


def test_pages_are_not_cached_and_get_changes_nothing(channel, me):
    referral = gathering_case()
    draft = assessment_create(actor=me, referral=referral, assessed_on=days_ago(4), ratings={})
    for page in (url("assessment-list", referral), url("assessment-create", referral),
                 url("assessment-edit", referral, draft),
                 url("assessment-changes", referral, draft)):  # fmt: skip
        assert "no-store" in channel.get(page)["Cache-Control"]
    assert Assessment.objects.get().version == 1 and Assessment.objects.count() == 1


def _pages(referral, latest):
    return (
        url("assessment-list", referral),
        url("assessment-create", referral),
        url("assessment-detail", referral, latest),
        url("assessment-changes", referral, latest),
    )


def _case_with(count, me, family):
    referral = gathering_case(family=family)
    for index in range(count):
        latest = completed(
            referral, actor=me, on=days_ago(40 - index),
            status="some_evidence" if index % 2 else "not_present",
        )  # fmt: skip
    return referral, latest


@pytest.mark.parametrize("count", [2, 12])
def test_query_budget_of_the_assessment_pages(channel, me, django_assert_max_num_queries, count):
    referral, latest = _case_with(count, me, "Budget")
    # Session, user, roles, the case, its audit event, savepoints, the case header; then
    # the framework (3) and at most two assessments with their ratings.
    for page in _pages(referral, latest):
        with django_assert_max_num_queries(24):
            assert channel.get(page).status_code == 200


def test_query_counts_are_the_same_at_two_sizes(channel, me):
    small, large = _case_with(2, me, "Small"), _case_with(12, me, "Large")
    channel.get(url("assessment-list", small[0]))  # warms the partnership-name cache
    counts = []
    for referral, latest in (small, large):
        counts.append(
            [page_queries(channel, page, warm=False) for page in _pages(referral, latest)]
        )
    for before, after in zip(*counts, strict=True):
        assert_same_queries(before, after)


def test_admin_sees_versions_and_adds_one(client_as, reference_data):
    admin = client_as("admin")
    current = Framework.objects.get()
    content = admin.get(reverse("vaf:framework-list")).content.decode()
    assert current.version_label in content and "Current" in content
    detail = admin.get(reverse("vaf:framework-detail", kwargs={"framework_pk": current.pk}))
    assert "Relevant mental health issues" in detail.content.decode()
    page = admin.get(reverse("vaf:framework-create")).content.decode()
    assert 'value="Feelings of grievance and injustice"' in page
    data = {f"wording_{f.key}": f.wording for f in structure().factors}
    data.update({"version_label": "", "in_force_from": "2010-01-01"})
    response = admin.post(reverse("vaf:framework-create"), data)
    assert "Enter a name for the new version" in response.content.decode()
    assert "on or after the current one" in response.content.decode()
    assert Framework.objects.count() == 1
    data.update({"version_label": "2027 revision", "in_force_from": days_ago(0).isoformat()})
    data["wording_status"] = "Desire for status or recognition"
    response = admin.post(reverse("vaf:framework-create"), data)
    assert response.status_code == 302
    new = Framework.objects.get(is_current=True)
    assert new.factors.get(key="status").wording == "Desire for status or recognition"
    assert current.factors.get(key="status").wording == "Desire for status"


@pytest.mark.parametrize("name", ["coordinator", "chair", "channel"])
def test_case_roles_open_every_assessment_page(client_as, persona, reference_data, name):
    referral = gathering_case()
    draft = assessment_create(
        actor=persona("channel"), referral=referral, assessed_on=days_ago(4), ratings={}
    )
    client = client_as(name)
    for page in ("assessment-list", "assessment-create"):
        assert client.get(url(page, referral)).status_code == 200
    for page in ("assessment-detail", "assessment-edit", "assessment-changes"):
        assert client.get(url(page, referral, draft)).status_code == 200
