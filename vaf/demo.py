"""Invented demo VAF assessments on the demo referrals that reached information gathering.

Each such case gets a completed assessment soon after information gathering began; cases
that went on to a panel get a second one at the latest panel or review, with some
factors changed, so that "significant changes" has something to show. One case still in
information gathering has a draft. Recorded through the services (so audited).
Idempotent: nothing is added when any assessment exists.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from prevent_portal.accounts.models import User
from referrals.choices import ReferralStatus
from referrals.models import Referral, ReferralEvent
from vaf.models import Assessment
from vaf.selectors import current_framework, framework_structure
from vaf.services import RatingInput, assessment_create

LATER_STEPS = {ReferralStatus.PANEL, ReferralStatus.REVIEWED, ReferralStatus.EXIT}
NOTES = {
    "some_evidence": [
        "Some evidence reported by the referrer (invented example).",
        "Mentioned by the school's safeguarding lead at the strategy meeting (invented).",
        "Partial evidence from the family support worker (invented example).",
    ],
    "significant_evidence": [
        "Significant evidence in messages shared with the police (invented example).",
        "Repeatedly expressed, consistent across partners (invented example).",
    ],
    "not_known": ["No information yet: requested from partners (invented example)."],
    "not_present": ["", "", "No indication from any partner (invented example)."],
}
SUMMARIES = [
    "Vulnerability present, driven mainly by grievance and a need for belonging; no sign "
    "of capability (invented example).",
    "Engagement factors present; intent limited to 'them and us' thinking (invented example).",
]
PLANS = [
    "Mentoring by an Intervention Provider; school to monitor; review at next panel "
    "(invented example).",
    "Family support and diversionary activity; case manager to check in fortnightly "
    "(invented example).",
]


def seed(*, stdout) -> None:
    if Assessment.objects.exists():
        stdout.write("VAF assessments already present: no demo assessments added.")
        return
    actor = User.objects.filter(username="channel").first()
    framework = current_framework()
    if actor is None or framework is None:
        stdout.write("No Channel coordinator or no current VAF version: no demo assessments.")
        return
    with transaction.atomic():
        created = _seed(actor, framework_structure(framework))
    stdout.write(f"Added {created} invented demo VAF assessments.")


def _ratings(rng, structure, *, base=None, improve=0.0):
    levels = structure.level_by_key
    scale = ["not_present", "some_evidence", "significant_evidence"]
    ratings = {}
    for factor in structure.factors:
        if base is None:
            weights = [5, 3, 1, 1] if factor.dimension.key == "engagement" else [7, 2, 1, 1]
            key = rng.choices([*scale, "not_known"], weights=weights)[0]
        else:
            key = base[factor.key].level.key
            if key == "not_known":
                key = rng.choice(scale[:2])
            elif key in scale[1:] and rng.random() < improve:
                key = scale[scale.index(key) - 1]
            elif rng.random() < 0.05 and key != scale[-1]:
                key = scale[scale.index(key) + 1]
        note = rng.choice(NOTES[key])
        ratings[factor.key] = RatingInput(level=levels[key], note=note)
    return ratings


def _seed(actor, structure) -> int:
    rng = random.Random(20260401)  # noqa: S311 (reproducible demo data, not security)
    today = timezone.localdate()
    gathering = {
        event.referral_id: event.occurred_on
        for event in ReferralEvent.objects.filter(
            to_status=ReferralStatus.INFORMATION_GATHERING
        ).order_by("occurred_on")
    }
    later = {}
    for event in ReferralEvent.objects.filter(to_status__in=LATER_STEPS).order_by("occurred_on"):
        later[event.referral_id] = event.occurred_on  # the latest panel, review or exit
    created, draft_made = 0, False
    for referral in Referral.objects.filter(pk__in=gathering).order_by("reference"):
        first_on = min(gathering[referral.pk] + timedelta(days=rng.randint(3, 14)), today)
        if referral.status == ReferralStatus.INFORMATION_GATHERING and not draft_made:
            assessment_create(
                actor=actor,
                referral=referral,
                assessed_on=first_on,
                ratings=_ratings(rng, structure),
                summary="Draft: waiting for the health partner's information (invented).",
            )
            draft_made = True
            created += 1
            continue
        first_ratings = _ratings(rng, structure)
        assessment_create(
            actor=actor,
            referral=referral,
            assessed_on=first_on,
            ratings=first_ratings,
            summary=rng.choice(SUMMARIES),
            management_plan=rng.choice(PLANS),
            complete=True,
        )
        created += 1
        second_on = later.get(referral.pk)
        if second_on is not None and second_on > first_on:
            assessment_create(
                actor=actor,
                referral=referral,
                assessed_on=second_on,
                ratings=_ratings(rng, structure, base=first_ratings, improve=0.5),
                summary=rng.choice(SUMMARIES),
                management_plan=rng.choice(PLANS),
                complete=True,
            )
            created += 1
    return created
