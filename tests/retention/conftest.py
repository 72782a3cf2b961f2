from datetime import date, datetime, time

import pytest
from django.utils import timezone

from casework.models import (
    CaseNote,
    ConsentRecord,
    Intervention,
    InterventionType,
    Provider,
    RiskFlag,
    SupportPlan,
)
from casework.reference import load_reference_models as load_casework_reference
from channel.models import AgendaItem, PanelAction, PanelMeeting
from referrals.models import Referral
from referrals.reference import load_reference_models
from referrals.services import referral_transition
from tests.referrals.conftest import new_referral
from vaf.models import Assessment, Rating
from vaf.reference import load_reference_models as load_vaf_reference
from vaf.selectors import current_framework, framework_structure
from worklist.models import Task

# Every text written about the person in a full case: none may survive a disposal.
SECRETS = [
    "Jamie",
    "Testwood",
    "1 Invented Row",
    "Robin Madeup",
    "Worrying posts",
    "Secret complex need",
    "Secret other information",
    "Secret step reason",
    "Secret signposting",
    "Secret panel reason",
    "Secret action",
    "Secret VAF summary",
    "Secret VAF plan",
    "Secret rating note",
    "Pat Invented-Parent",
    "Secret consent note",
    "Secret goal",
    "Secret note text",
    "Secret risk reason",
    "Secret risk outcome",
    "Secret task title",
    "PN-12345",
]


@pytest.fixture(autouse=True)
def _seeded_reference(reference_data):
    """The rows migrations seed; a transactional (browser) test elsewhere may have
    flushed them."""
    load_reference_models()
    load_casework_reference()
    load_vaf_reference()


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def due_case(*, received=date(2019, 3, 4), left=date(2019, 5, 1), **kwargs):
    """A referral that left the process (not adopted at panel) on `left`."""
    referral = new_referral(received=received, **kwargs)
    for step in ("police_gateway", "information_gathering", "panel", "not_adopted"):
        referral_transition(
            actor=None,
            referral=referral,
            to_status=step,
            reason="Secret step reason",
            occurred_on=left,
            expected_version=referral.version,
        )
    referral.refresh_from_db()
    return referral


def full_case(user, **kwargs):
    """A due case with a record in every app that hangs off a referral."""
    referral = due_case(**kwargs)
    Referral.objects.filter(pk=referral.pk).update(
        complex_needs="Secret complex need",
        other_information="Secret other information",
        police_reference="PN-12345",
    )
    day = referral.date_received
    event = referral.events.first()
    event.details = {"signposted_to": "Secret signposting"}
    event.save()
    framework = current_framework()
    assessment = Assessment.objects.create(
        referral=referral,
        framework=framework,
        assessed_on=day,
        assessor=user,
        summary="Secret VAF summary",
        management_plan="Secret VAF plan",
    )
    factor = framework_structure(framework).factors[0]
    Rating.objects.create(assessment=assessment, factor_id=factor.pk, note="Secret rating note")
    ConsentRecord.objects.create(
        referral=referral,
        decision="given",
        given_by="parent",
        given_by_name="Pat Invented-Parent",
        decided_on=day,
        note="Secret consent note",
    )
    plan = SupportPlan.objects.create(referral=referral)
    Intervention.objects.create(
        plan=plan,
        kind=InterventionType.objects.first(),
        provider=Provider.objects.get_or_create(name="Invented Mentoring Ltd")[0],
        goal="Secret goal",
        starts_on=day,
    )
    note = CaseNote.objects.create(
        referral=referral, contact_at=_aware(day), kind="phone_call", text="Secret note text"
    )
    CaseNote.objects.create(
        referral=referral,
        contact_at=_aware(day),
        kind="phone_call",
        text="Secret note text, corrected",
        corrects=note,
    )
    RiskFlag.objects.create(
        referral=referral,
        kind="mash",
        raised_on=day,
        to_whom="Invented MASH",
        reason="Secret risk reason",
        outcome="Secret risk outcome",
    )
    Task.objects.create(
        referral=referral, kind="other", title="Secret task title", due_on=day, key="manual-1"
    )
    meeting = PanelMeeting.objects.create(meeting_date=day)
    item = AgendaItem.objects.create(
        meeting=meeting,
        referral=referral,
        status_when_added="panel",
        decision="not_adopt",
        reason="Secret panel reason",
        signposted_to="Secret signposting",
    )
    PanelAction.objects.create(
        meeting=meeting, agenda_item=item, description="Secret action", owner="Chair", due_on=day
    )
    return Referral.objects.get(pk=referral.pk)
