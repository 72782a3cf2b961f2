from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseNote, ConsentRecord, Intervention, RiskFlag
from casework.services import note_add, risk_flag_raise
from referrals.models import Referral
from tests.casework.conftest import (
    add_intervention,
    adopted_referral,
    at,
    provider,
    referral_at_consent,
)
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db


def url(name, referral, **extra):
    return reverse(f"casework:{name}", kwargs={"pk": referral.pk, **extra})


@pytest.fixture
def channel(client_as, persona):
    user = persona("channel")
    user.can_see_identities = True
    user.save()
    return client_as("channel")


def consent_post(client, referral, **overrides):
    data = {
        "decision": "given",
        "given_by": "parent",
        "given_by_name": "Pat Invented-Parent",
        "decided_on": "2026-03-12",
        "note": "",
        "version": referral.version,
        "token": "",
    }
    data.update(overrides)
    return client.post(url("consent-create", referral), data)


# -- Consent ---------------------------------------------------------------------------


def test_recording_consent_given_adopts_the_case(channel):
    referral = referral_at_consent()
    page = channel.get(url("consent-support", referral)).content.decode()
    assert "Record consent" in page and "consent is needed before support starts" in page
    form = channel.get(url("consent-create", referral)).content.decode()
    assert 'value="given"' in form and 'value="withdrawn"' not in form
    response = consent_post(channel, referral)
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "adopted"
    page = channel.get(response["Location"]).content.decode()
    assert "Consent given recorded" in page
    assert "Pat Invented-Parent" in page and "A parent or carer" in page


def test_the_name_of_who_gave_consent_is_hidden_without_the_identity_grant(client_as, channel):
    referral = referral_at_consent()
    consent_post(channel, referral)
    page = client_as("chair").get(url("consent-support", referral)).content.decode()
    assert "Pat Invented-Parent" not in page and "Hidden" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"decision": ""}, "Select whether consent was given, declined or withdrawn"),
        ({"given_by": ""}, "Select who gave, declined or withdrew consent"),
        ({"given_by_name": ""}, "Enter the name of the parent or carer"),
        ({"decided_on": ""}, "Enter the date of the decision"),
        ({"decided_on": "2026-02-30"}, "Enter the date of the decision as a real date"),
        ({"decided_on": "2099-01-01"}, "must be today or in the past"),
        ({"decided_on": "2026-03-01"}, "on or after the date the referral was received"),
        ({"given_by": "person"}, "The person was under 18 on that date"),
        ({"decision": "withdrawn"}, "Consent can be withdrawn only from an adopted case"),
    ],
)
def test_bad_consent_shows_the_error_summary_and_saves_nothing(channel, overrides, message):
    referral = referral_at_consent()
    response = consent_post(channel, referral, **overrides)
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content and message in content
    assert "<title>Error: " in content
    assert Referral.objects.get(pk=referral.pk).status == "consent"
    assert not ConsentRecord.objects.exists()


def test_a_stale_consent_form_shows_the_conflict_and_the_latest_version(channel):
    referral = referral_at_consent()
    response = consent_post(channel, referral, version=referral.version - 1)
    content = response.content.decode()
    assert "changed by someone else" in content
    assert f'name="version" value="{referral.version}"' in content
    assert not ConsentRecord.objects.exists()


def test_a_double_submitted_consent_form_records_once(channel):
    referral = referral_at_consent()
    token = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    first = consent_post(channel, referral, token=token)
    second = consent_post(channel, referral, token=token)
    assert first.status_code == second.status_code == 302
    assert ConsentRecord.objects.count() == 1


def test_a_case_not_at_consent_shows_why_and_no_form(channel):
    referral = new_referral()
    content = channel.get(url("consent-create", referral)).content.decode()
    assert "Consent cannot be recorded on this case now" in content
    assert 'name="decision"' not in content


# -- Support plan ----------------------------------------------------------------------


def intervention_post(client, referral, *, name="intervention-create", extra_kwargs=None, **data):
    kind = Intervention._meta.get_field("kind").related_model.objects.get(name="Mental health")
    values = {
        "kind": kind.pk,
        "provider": provider().pk,
        "goal": "Invented goal",
        "starts_on": "2026-03-20",
        "ends_on": "",
        "sessions": "4",
        "outcome": "",
        "version": "",
        "token": "",
    }
    values.update(data)
    return client.post(url(name, referral, **(extra_kwargs or {})), values)


def test_adding_and_changing_an_intervention(channel):
    referral = adopted_referral()
    assert "Add an intervention" in channel.get(url("consent-support", referral)).content.decode()
    assert intervention_post(channel, referral).status_code == 302
    item = Intervention.objects.get()
    page = channel.get(url("consent-support", referral)).content.decode()
    assert "Mental health" in page and "Home Office accredited" in page
    edit = url("intervention-edit", referral, intervention_pk=item.pk)
    assert 'name="version" value="1"' in channel.get(edit).content.decode()
    response = intervention_post(
        channel,
        referral,
        name="intervention-edit",
        extra_kwargs={"intervention_pk": item.pk},
        version="1",
        ends_on="2026-05-01",
        outcome="Invented: completed",
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.version, item.ends_on, item.outcome) == (
        2,
        date(2026, 5, 1),
        "Invented: completed",
    )


def test_a_stale_intervention_edit_shows_the_conflict(channel):
    referral = adopted_referral()
    item = add_intervention(referral)
    Intervention.objects.filter(pk=item.pk).update(version=2, outcome="Someone else's")
    response = intervention_post(
        channel,
        referral,
        name="intervention-edit",
        extra_kwargs={"intervention_pk": item.pk},
        version="1",
        outcome="Mine",
    )
    content = response.content.decode()
    assert "changed by someone else" in content and 'name="version" value="2"' in content
    assert Intervention.objects.get().outcome == "Someone else's"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ""}, "Select the type of intervention"),
        ({"goal": ""}, "Enter the goal of the intervention"),
        ({"ends_on": "2026-03-19"}, "The end date must be on or after the start date"),
        ({"sessions": "-1"}, "The number of sessions must be a whole number, 0 to 999"),
        ({"sessions": "many"}, "The number of sessions must be a whole number, 0 to 999"),
    ],
)
def test_a_bad_intervention_shows_errors_and_saves_nothing(channel, data, message):
    referral = adopted_referral()
    content = intervention_post(channel, referral, **data).content.decode()
    assert "govuk-error-summary" in content and message in content
    assert not Intervention.objects.exists()


def test_no_intervention_before_adoption(channel):
    referral = referral_at_consent()
    assert (
        "Add an intervention" not in channel.get(url("consent-support", referral)).content.decode()
    )
    content = intervention_post(channel, referral).content.decode()
    assert "only while the case is adopted or under review" in content
    assert not Intervention.objects.exists()


# -- Notes -----------------------------------------------------------------------------


def note_post(client, referral, **data):
    values = {"contact_at": "2026-03-15T10:30", "kind": "phone_call", "text": "Invented call"}
    values.update(data)
    return client.post(url("note-create", referral), values)


def test_a_note_is_added_and_shown_with_its_author(channel):
    referral = new_referral()
    assert note_post(channel, referral).status_code == 302
    content = channel.get(url("notes", referral)).content.decode()
    assert "Note added" in content and "Invented call" in content
    assert "15 March 2026, 10:30" in content and "Channel Testperson" in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Enter the note"),
        ({"kind": ""}, "Select the kind of contact"),
        ({"contact_at": ""}, "Enter the date and time of contact"),
        ({"contact_at": "yesterday"}, "as a real date and time"),
        ({"contact_at": "2099-01-01T10:00"}, "must be in the past"),
    ],
)
def test_a_bad_note_shows_errors_and_saves_nothing(channel, data, message):
    content = note_post(channel, new_referral(), **data).content.decode()
    assert "govuk-error-summary" in content and message in content
    assert not CaseNote.objects.exists()


def test_a_correction_is_offered_prefilled_and_marks_the_original(channel):
    referral = new_referral()
    original = note_add(
        actor=None,
        referral=referral,
        contact_at=at(date(2026, 3, 15)),
        kind="email",
        text="Wrong invented detail",
    )
    form = channel.get(url("note-create", referral) + f"?corrects={original.pk}").content.decode()
    assert "You are correcting the note of 15 March 2026" in form
    assert "Wrong invented detail" in form
    response = note_post(channel, referral, corrects=str(original.pk), text="Right detail")
    assert response.status_code == 302
    content = channel.get(url("notes", referral)).content.decode()
    assert "Corrected" in content and "Corrects the note of 15 March 2026" in content
    assert "Wrong invented detail" in content and "Right detail" in content
    assert content.count("Correct this note") == 1  # only the correction can be corrected


def test_correcting_a_note_of_another_case_is_404(channel):
    other = note_add(
        actor=None,
        referral=new_referral(family="Elsewhere"),
        contact_at=at(date(2026, 3, 15)),
        kind="email",
        text="Other case",
    )
    referral = new_referral()
    assert channel.get(url("note-create", referral) + f"?corrects={other.pk}").status_code == 404
    assert channel.get(url("note-create", referral) + "?corrects=nonsense").status_code == 404


def test_notes_are_newest_first_and_paginated(channel):
    referral = new_referral()
    for day in range(25):
        note_add(
            actor=None,
            referral=referral,
            contact_at=at(date(2026, 3, 3) + timedelta(days=day)),
            kind="other",
            text=f"Invented note {day}",
        )
    first = channel.get(url("notes", referral)).content.decode()
    assert "Invented note 24" in first and "Invented note 4<" not in first
    assert first.index("Invented note 24") < first.index("Invented note 23")
    assert "Page 1 of 2" in first
    second = channel.get(url("notes", referral) + "?page=2").content.decode()
    assert "Invented note 0" in second


# -- Risk flags ------------------------------------------------------------------------


def risk_post(client, referral, **data):
    values = {
        "kind": "mash",
        "raised_on": "2026-03-15",
        "to_whom": "Invented MASH team",
        "reason": "Invented concern",
        "outcome": "",
        "version": referral.version,
        "token": "",
    }
    values.update(data)
    return client.post(url("risk-create", referral), values)


def test_an_open_flag_shows_on_every_section_of_the_case_until_closed(channel):
    referral = new_referral()
    assert risk_post(channel, referral).status_code == 302
    flag = RiskFlag.objects.get()
    pages = [
        reverse("referrals:referral-detail", kwargs={"pk": referral.pk}),
        url("consent-support", referral),
        url("notes", referral),
        url("risk", referral),
    ]
    for page in pages:
        content = channel.get(page).content.decode()
        assert "Open risk flags (1)" in content, page
        assert "Escalated to the MASH" in content and "Invented MASH team" in content
    response = channel.post(
        url("risk-edit", referral, flag_pk=flag.pk),
        {
            "to_whom": "Invented MASH team",
            "outcome": "Invented: no further action",
            "closed_on": "2026-03-20",
            "version": "1",
        },
    )
    assert response.status_code == 302
    for page in pages:
        assert "Open risk flags" not in channel.get(page).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ""}, "Select the kind of risk or escalation"),
        ({"to_whom": ""}, "Enter who the case was escalated or handed to"),
        ({"reason": ""}, "Enter the reason"),
        ({"raised_on": "2099-01-01"}, "must be today or in the past"),
    ],
)
def test_a_bad_flag_shows_errors_and_saves_nothing(channel, data, message):
    content = risk_post(channel, new_referral(), **data).content.decode()
    assert "govuk-error-summary" in content and message in content
    assert not RiskFlag.objects.exists()


def test_police_led_is_offered_only_where_the_journey_allows_it(channel):
    received = new_referral()
    assert (
        "Also close the case as police-led"
        not in channel.get(url("risk-create", received)).content.decode()
    )
    referral = adopted_referral()
    assert (
        "Also close the case as police-led"
        in channel.get(url("risk-create", referral)).content.decode()
    )
    response = risk_post(
        channel, referral, kind="police_led", to_whom="Invented CT policing", police_led="on"
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "police_led"


def test_a_stale_police_led_step_shows_the_conflict(channel):
    referral = adopted_referral()
    response = risk_post(
        channel, referral, kind="police_led", police_led="on", version=referral.version - 1
    )
    assert "changed by someone else" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == "adopted"
    assert not RiskFlag.objects.exists()


def test_closing_a_flag_before_it_was_raised_is_refused(channel):
    referral = new_referral()
    flag = risk_flag_raise(
        actor=None,
        referral=referral,
        kind="immediate_risk",
        raised_on=date(2026, 3, 15),
        to_whom="",
        reason="Invented",
    )
    content = channel.post(
        url("risk-edit", referral, flag_pk=flag.pk),
        {"to_whom": "", "outcome": "Done", "closed_on": "2026-03-14", "version": "1"},
    ).content.decode()
    assert "The date closed must be on or after the date raised" in content
    assert RiskFlag.objects.get().closed_on is None


def test_today_is_a_valid_date_for_a_flag(channel):
    referral = new_referral()
    today = timezone.localdate().isoformat()
    assert risk_post(channel, referral, raised_on=today).status_code == 302
