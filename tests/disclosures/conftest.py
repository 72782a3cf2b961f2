import time
import uuid
from datetime import date

import pytest

from casework.reference import load_reference_models as load_casework_reference
from disclosures.choices import LawfulBasis
from disclosures.models import SharingAgreement, SubjectAccessRequest
from disclosures.services import one_month_after
from governance.models import Partner
from prevent_portal.accounts.models import User
from prevent_portal.accounts.reauth import REAUTH_AT_SESSION_KEY
from referrals.reference import load_reference_models
from tests.conftest import make_user
from vaf.reference import load_reference_models as load_vaf_reference


@pytest.fixture(autouse=True)
def _seeded_reference(reference_data):
    """The rows migrations seed; a transactional (browser) test elsewhere may have
    flushed them."""
    load_reference_models()
    load_casework_reference()
    load_vaf_reference()


def make_agreement(**extra) -> SharingAgreement:
    return SharingAgreement.objects.create(
        title=extra.pop("title", "Invented police agreement"),
        partner=extra.pop("partner", Partner.objects.get(name="Kent Police")),
        purpose=extra.pop("purpose", "Channel case work"),
        lawful_basis=extra.pop("lawful_basis", LawfulBasis.CHANNEL),
        data_categories=extra.pop("data_categories", "Identity, concerns"),
        review_on=extra.pop("review_on", date(2027, 1, 31)),
        **extra,
    )


def make_request(person, *, actor=None, received=date(2026, 3, 10)) -> SubjectAccessRequest:
    actor = actor or User.objects.filter(username="sar-maker").first() or sar_maker()
    return SubjectAccessRequest.objects.create(
        person=person,
        requester_name="Pat Requester",
        requester_relationship="self",
        received_on=received,
        due_on=one_month_after(received),
        created_by=actor,
        create_token=uuid.uuid4(),
    )


def sar_maker(username="sar-maker", role="coordinator") -> User:
    """A coordinator holding both per-user grants: subject access and identities."""
    existing = User.objects.filter(username=username).first()
    return existing or make_user(
        username, role, can_make_subject_access=True, can_see_identities=True
    )


@pytest.fixture
def sar_client(client):
    """The test client signed in as a coordinator with the subject-access grant, who has
    just confirmed their identity (so a case export opens at once)."""
    client.force_login(sar_maker())
    session = client.session
    session[REAUTH_AT_SESSION_KEY] = time.time()
    session.save()
    return client
