from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from channel.models import PanelAttendee, PanelMeeting
from channel.services import agenda_add
from disclosures.bundle import build_bundle
from disclosures.choices import LawfulBasis, Method, RequestStatus
from disclosures.models import (
    DisclosureEntry,
    RedactionDecision,
    SharingAgreement,
    SubjectAccessRequest,
)
from disclosures.services import record_disclosure
from governance.models import Partner
from prevent_portal.audit.models import AuditEvent
from tests.conftest import make_user
from tests.disclosures.conftest import make_agreement, make_request, sar_maker
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

AGREEMENTS = reverse("disclosures:agreement-list")
LOG = reverse("disclosures:log")


def _agreement_post(**extra):
    return {
        "title": "Invented schools agreement",
        "partner": str(Partner.objects.get(name="Kent Police").pk),
        "other_organisation": "",
        "purpose": "Safeguarding",
        "lawful_basis": LawfulBasis.SAFEGUARDING,
        "data_categories": "Identity",
        "review_on": "2027-05-01",
        "document_reference": "",
        **extra,
    }


# -- the register -------------------------------------------------------------------------


def test_a_supervisor_adds_an_agreement_and_a_case_viewer_reads_it(client_as):
    chair = client_as("chair")
    form = chair.get(reverse("disclosures:agreement-create"))
    token = form.context["form"]["token"].value()
    response = chair.post(reverse("disclosures:agreement-create"), _agreement_post(token=token))
    assert response.status_code == 302
    chair.post(reverse("disclosures:agreement-create"), _agreement_post(token=token))
    assert SharingAgreement.objects.count() == 1  # a double submission adds one
    page = client_as("channel").get(AGREEMENTS).content.decode()
    assert "Invented schools agreement" in page
    assert "Add an agreement" not in page


def test_an_invalid_agreement_shows_errors_and_saves_nothing(client_as):
    response = client_as("coordinator").post(
        reverse("disclosures:agreement-create"),
        _agreement_post(purpose="", partner="", token="6f1c2a0e-5b7d-4c8e-9a1f-2d3e4f5a6b7c"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter the purpose of the sharing" in html
    assert "Select a partner organisation, or enter another organisation" in html
    assert not SharingAgreement.objects.exists()
    assert not AuditEvent.objects.filter(target_type="disclosures.sharingagreement").exists()


def test_a_stale_agreement_edit_keeps_the_first_change(client_as):
    agreement = make_agreement(title="Original")
    client = client_as("coordinator")
    url = reverse("disclosures:agreement-edit", args=[agreement.pk])
    assert client.post(url, _agreement_post(title="First", version="1")).status_code == 302
    response = client.post(url, _agreement_post(title="Second", version="1"))
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == ("First", 2)


def test_ending_an_agreement_through_the_page(client_as):
    agreement = make_agreement()
    client = client_as("chair")
    url = reverse("disclosures:agreement-end", args=[agreement.pk])
    response = client.post(url, {"ended_on": "2030-01-01", "version": "1"})
    assert "today or earlier" in response.content.decode()
    assert client.post(url, {"ended_on": "2026-01-01", "version": "1"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "ended"


def test_register_changes_are_refused_to_case_managers(client_as):
    agreement = make_agreement()
    client = client_as("channel")
    assert (
        client.post(reverse("disclosures:agreement-create"), _agreement_post()).status_code == 403
    )
    url = reverse("disclosures:agreement-edit", args=[agreement.pk])
    assert client.post(url, _agreement_post(version="1")).status_code == 403
    assert SharingAgreement.objects.get().title == "Invented police agreement"


def test_an_unknown_agreement_is_404(client_as):
    url = reverse("disclosures:agreement-edit", args=["00000000-0000-0000-0000-000000000000"])
    assert client_as("chair").get(url).status_code == 404


# -- the log and a case's section -----------------------------------------------------------


def _entry(referral, *, organisation="Invented Academy", shared_on=date(2026, 3, 20)):
    return record_disclosure(
        actor=None,
        referral=referral,
        what_shared="The gateway outcome",
        recipient_organisation=organisation,
        recipient_role="Designated Safeguarding Lead",
        purpose="Support in school",
        lawful_basis=LawfulBasis.SAFEGUARDING,
        method=Method.SECURE_EMAIL,
        shared_on=shared_on,
    )


def test_the_log_filters_and_is_audited(client_as):
    referral = new_referral()
    _entry(referral, organisation="Invented Academy")
    _entry(referral, organisation="Invented Hospital")
    client = client_as("chair")
    page = client.get(LOG, {"organisation": "hospital"}).content.decode()
    assert "Invented Hospital" in page and "Invented Academy" not in page
    assert referral.reference in page
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW, target_type="disclosures.log")
    bad = client.get(LOG, {"shared_from": "not a date"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()


def test_the_log_is_paginated(client_as):
    referral = new_referral()
    for day in range(1, 28):
        _entry(referral, shared_on=date(2026, 3, day))
    client = client_as("coordinator")
    first = client.get(LOG).content.decode()
    assert "Page 1 of 2" in first and "27 disclosures" in first
    assert "Page 2 of 2" in client.get(LOG, {"page": 2}).content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_the_log_has_a_fixed_query_budget(client_as, django_assert_max_num_queries, size):
    agreement = make_agreement()
    for number in range(size):
        entry = _entry(new_referral(given=f"Sam{number}"))
        DisclosureEntry.objects.filter(pk=entry.pk).update(agreement=agreement)
    client = client_as("chair")
    client.get(LOG)
    with django_assert_max_num_queries(16):
        response = client.get(LOG)
    assert response.content.decode().count("Invented police agreement") >= min(size, 25)


@pytest.mark.parametrize("size", [2, 20])
def test_the_register_and_requests_have_fixed_query_budgets(
    client_as, django_assert_max_num_queries, size
):
    for number in range(size):
        make_agreement(title=f"Agreement {number}")
        make_request(new_referral(given=f"Sam{number}").person)
    client = client_as("channel")
    with django_assert_max_num_queries(12):
        assert client.get(AGREEMENTS).status_code == 200
    client.force_login(sar_maker())
    with django_assert_max_num_queries(16):
        response = client.get(reverse("disclosures:sar-list"))
    assert response.content.decode().count("In review</strong>") == size


def test_a_case_manager_adds_a_disclosure_from_the_case(client_as):
    referral = new_referral()
    agreement = make_agreement()
    client = client_as("channel")
    url = reverse("disclosures:entry-create", args=[referral.pk])
    token = client.get(url).context["form"]["token"].value()
    data = {
        "what_shared": "The outcome of the gateway",
        "recipient_partner": str(Partner.objects.get(name="Kent Police").pk),
        "recipient_role": "Channel police practitioner",
        "purpose": "Information gathering",
        "lawful_basis": LawfulBasis.CHANNEL,
        "agreement": str(agreement.pk),
        "shared_on": "2026-03-20",
        "method": Method.SECURE_EMAIL,
        "token": token,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    entry = DisclosureEntry.objects.get()  # one, though sent twice
    assert entry.recipient_organisation == "Kent Police"
    assert entry.agreement == agreement
    page = client.get(reverse("disclosures:case", args=[referral.pk])).content.decode()
    assert "The outcome of the gateway" in page


def test_an_invalid_disclosure_changes_nothing(client_as):
    referral = new_referral()
    response = client_as("channel").post(
        reverse("disclosures:entry-create", args=[referral.pk]),
        {
            "what_shared": "Something",
            "recipient_role": "",
            "lawful_basis": "nonsense",
            "shared_on": "2099-01-01",
            "method": Method.PANEL_PACK,  # recorded by the portal, not by hand
            "token": "6f1c2a0e-5b7d-4c8e-9a1f-2d3e4f5a6b7c",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Enter the recipient&#x27;s role",
        "Select the lawful basis from the list",
        "The date shared must be today or earlier",
        "Select how it was shared from the list",
        "Select the partner organisation it was shared with, or enter another one",
    ):
        assert message in html, message
    assert not DisclosureEntry.objects.exists()


def test_a_case_out_of_scope_is_404(client_as):
    url = reverse("disclosures:case", args=["00000000-0000-0000-0000-000000000000"])
    assert client_as("channel").get(url).status_code == 404


@override_settings(REFERRALS_SCOPE="assigned")
def test_entries_of_cases_outside_the_scope_are_hidden(client_as, persona):
    channel = persona("channel")
    mine, other = new_referral(), new_referral(given="Sam")
    mine.case_manager = channel
    mine.save()
    _entry(mine, organisation="Mine Org")
    _entry(other, organisation="Other Org")
    client = client_as("channel")
    assert client.get(reverse("disclosures:case", args=[other.pk])).status_code == 404
    assert client.get(reverse("disclosures:case", args=[mine.pk])).status_code == 200
    from disclosures.selectors import entries_visible_to

    assert [e.recipient_organisation for e in entries_visible_to(channel)] == ["Mine Org"]


def test_the_panel_pack_download_logs_a_disclosure_per_case(client_as, persona):
    import time

    from prevent_portal.accounts.reauth import REAUTH_AT_SESSION_KEY

    client = client_as("coordinator")
    session = client.session
    session[REAUTH_AT_SESSION_KEY] = time.time()  # identity confirmed before the export
    session.save()
    referral = new_referral()
    from referrals.services import referral_transition

    for step in ("police_gateway", "information_gathering"):
        referral_transition(
            actor=None,
            referral=referral,
            to_status=step,
            reason="",
            occurred_on=date(2026, 3, 3),
            expected_version=referral.version,
        )
        referral.refresh_from_db()
    meeting = PanelMeeting.objects.create(meeting_date=date(2026, 3, 25))
    PanelAttendee.objects.create(
        meeting=meeting, name="Invented Officer", partner=Partner.objects.get(name="Kent Police")
    )
    agenda_add(actor=persona("coordinator"), meeting=meeting, referral=referral)
    response = client.get(reverse("channel:meeting-pack", args=[meeting.pk]))
    assert response.status_code == 200
    entry = DisclosureEntry.objects.get()
    assert entry.referral == referral
    assert entry.method == Method.PANEL_PACK
    assert entry.recipient_organisation == "Kent Police"


# -- subject access -----------------------------------------------------------------------

SAR_PAGES = ["sar-list", "sar-start", "sar-create", "sar-review", "sar-release", "sar-download"]


def _sar_urls(request):
    kwargs = {
        "sar-create": {"person_pk": request.person_id},
        "sar-review": {"pk": request.pk},
        "sar-release": {"pk": request.pk},
        "sar-download": {"pk": request.pk},
    }
    return [reverse(f"disclosures:{name}", kwargs=kwargs.get(name, {})) for name in SAR_PAGES]


@pytest.mark.parametrize(
    "user",
    [
        # A coordinator without the subject-access grant (but with identities).
        {"role": "coordinator", "can_see_identities": True},
        # With the grant but not the identity grant.
        {"role": "coordinator", "can_make_subject_access": True},
        # Roles without cases.view, even with both grants.
        {"role": "board", "can_make_subject_access": True, "can_see_identities": True},
        {"role": "admin", "can_make_subject_access": True, "can_see_identities": True},
    ],
)
def test_subject_access_pages_are_403_without_the_grants(client, user):
    request = make_request(new_referral().person)
    client.force_login(make_user("someone", user.pop("role"), **user))
    for url in _sar_urls(request):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Jamie"}).status_code == 403, url
    assert RedactionDecision.objects.count() == 0
    assert SubjectAccessRequest.objects.count() == 1


def test_unknown_people_and_requests_are_404(sar_client):
    missing = "00000000-0000-0000-0000-000000000000"
    for name, kwargs in [
        ("sar-create", {"person_pk": missing}),
        ("sar-review", {"pk": missing}),
        ("sar-release", {"pk": missing}),
    ]:
        assert sar_client.get(reverse(f"disclosures:{name}", kwargs=kwargs)).status_code == 404


@override_settings(REFERRALS_SCOPE="assigned")
def test_a_person_outside_the_scope_is_404(client, persona):
    referral = new_referral()  # no case manager: outside a case manager's scope
    request = make_request(referral.person)
    client.force_login(
        make_user("grantee", "channel", can_make_subject_access=True, can_see_identities=True)
    )
    assert client.get(reverse("disclosures:sar-review", args=[request.pk])).status_code == 404
    create = reverse("disclosures:sar-create", args=[referral.person_id])
    assert client.get(create).status_code == 404
    response = client.post(reverse("disclosures:sar-start"), {"name": "Jamie"})
    assert "Testwood" not in response.content.decode()


def test_the_journey_search_create_review_release_download(sar_client):
    referral = new_referral()
    new_referral(given="Someone", family="Else")
    found = sar_client.post(reverse("disclosures:sar-start"), {"name": "jamie test"})
    html = found.content.decode()
    assert "Jamie Testwood" in html and "Someone Else" not in html
    create = reverse("disclosures:sar-create", args=[referral.person_id])
    token = sar_client.get(create).context["form"]["token"].value()
    bad = sar_client.post(create, {"requester_name": "", "received_on": "2099-01-01"})
    assert "govuk-error-summary" in bad.content.decode()
    assert not SubjectAccessRequest.objects.exists()
    response = sar_client.post(
        create,
        {
            "requester_name": "Pat Requester",
            "requester_relationship": "self",
            "received_on": "2026-03-10",
            "token": token,
        },
    )
    request = SubjectAccessRequest.objects.get()
    assert response["Location"] == reverse("disclosures:sar-review", args=[request.pk])
    assert request.due_on == date(2026, 4, 10)

    review = reverse("disclosures:sar-review", args=[request.pk])
    page = sar_client.get(review)
    assert "Third-party information" in page.content.decode()
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW, target_id=str(request.pk)).exists()
    flagged = page.context["flagged"]
    data = {"version": "1"}
    for cell in flagged:
        data[f"key-{cell.index}"] = cell.key
        data[f"decision-{cell.index}"] = "redact"
    bad = sar_client.post(review, {**data, "decision-0": "shred"})
    assert "Choose redact or release" in bad.content.decode()
    assert not RedactionDecision.objects.exists()
    assert sar_client.post(review, data).status_code == 302
    assert RedactionDecision.objects.count() == len(flagged)
    stale = sar_client.post(review, {**data, "decision-0": "release"})
    assert "changed by someone else" in stale.content.decode()
    assert not RedactionDecision.objects.filter(decision="release").exists()

    download = reverse("disclosures:sar-download", args=[request.pk])
    assert sar_client.get(download).status_code == 403  # not released yet
    release = reverse("disclosures:sar-release", args=[request.pk])
    unconfirmed = sar_client.post(release, {"version": "2"})
    assert "Confirm that you have reviewed the bundle" in unconfirmed.content.decode()
    assert sar_client.post(release, {"version": "2", "confirm": "on"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.RELEASED
    assert DisclosureEntry.objects.filter(method=Method.SUBJECT_ACCESS).count() == 1

    response = sar_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="subject-access-2026-03-10.zip"'
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT, target_id=str(request.pk))
    assert event.count() == 1
    assert sar_client.post(review, data).status_code == 403  # nothing changes after release


def test_the_download_asks_to_confirm_identity_first(client):
    coordinator = sar_maker()
    request = make_request(new_referral().person)
    SubjectAccessRequest.objects.filter(pk=request.pk).update(status=RequestStatus.RELEASED)
    client.force_login(coordinator)
    response = client.get(reverse("disclosures:sar-download", args=[request.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm-identity"))
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()


def test_release_is_refused_while_items_are_undecided(sar_client):
    request = make_request(new_referral().person)
    response = sar_client.post(
        reverse("disclosures:sar-release", args=[request.pk]), {"version": "1", "confirm": "on"}
    )
    assert "Decide on every flagged item" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW
    assert build_bundle(request, user=sar_maker()).undecided


def test_information_sharing_is_on_the_home_page_and_the_case_list_not_the_menu(client_as):
    """The service navigation stays on one row for the roles that open most areas: the
    area is offered on the home page and from the case list instead."""
    client = client_as("coordinator")
    index = reverse("disclosures:index")
    home = client.get(reverse("reporting:dashboard")).content.decode()
    assert f'href="{index}"' in home
    menu = home[
        home.index('aria-label="Menu"') : home.index("</nav>", home.index('aria-label="Menu"'))
    ]
    assert index not in menu and reverse("referrals:index") in menu
    assert f'href="{index}"' in client.get(reverse("referrals:index")).content.decode()
