"""The likely-match check of intake, and the confirmation of a match not shown.

Before a new person is recorded, intake looks for a likely earlier record of them (same
family name and date of birth, or same names: `selectors.likely_matches`). A match names
someone referred, so it is shown only to a user with the identity grant who may open at
least one of that person's cases, and then with only the cases they may open. Any other
match is not shown: the page says only that a possible match exists. If the referral is
then recorded for a new person, a `PersonMatchReview` asks someone who may see
identities and every case (`selectors.may_confirm_matches`) to confirm it: the same
person (the referral moves to that record) or a new one.

Every lookup is audited (who, which fields were compared, how many matched: never the
typed values) and counted for unusual access (prevent_portal/audit/alerts.py), because
typing guessed names is how someone would learn who has been referred.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from prevent_portal.audit.alerts import unusual_lookup_check
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from referrals.models import Person, PersonMatchReview, Referral
from referrals.selectors import (
    likely_matches,
    may_confirm_matches,
    may_see_match,
    people_visible_to,
)


class MatchReviewError(Exception):
    """A possible match that cannot be confirmed as asked; the message is for the user."""


class MatchReviewClosedError(MatchReviewError):
    """The review was confirmed already (a second submission, or someone else)."""

    def __init__(self):
        super().__init__("This possible match has already been confirmed")


@dataclass(frozen=True)
class MatchLookup:
    """What a lookup found: the people the user may be shown, and the others (ids only,
    kept in the session for a review, never sent to the browser)."""

    shown: list[str] = field(default_factory=list)
    not_shown: list[str] = field(default_factory=list)

    def as_session(self) -> dict:
        return {"shown": self.shown, "not_shown": self.not_shown}

    @classmethod
    def from_session(cls, data: dict) -> "MatchLookup":
        return cls(shown=list(data.get("shown", [])), not_shown=list(data.get("not_shown", [])))

    @property
    def found(self) -> bool:
        return bool(self.shown or self.not_shown)


@transaction.atomic(savepoint=False)
def person_match_lookup(
    *, actor, given_names: str, family_name: str, date_of_birth: date | None
) -> MatchLookup:
    """Look for a likely earlier record of the person typed at intake. For case managers.

    Audited (the fields compared and the counts, never the values) and counted for
    unusual access. Inside a request's transaction it takes no savepoint of its own.
    """
    found = [
        str(pk)
        for pk in likely_matches(
            given_names=given_names, family_name=family_name, date_of_birth=date_of_birth
        )
    ]
    shown = []
    if found and may_see_match(actor):
        visible = {
            str(pk)
            for pk in people_visible_to(actor).filter(pk__in=found).values_list("pk", flat=True)
        }
        shown = [pk for pk in found if pk in visible]
    lookup = MatchLookup(shown=shown, not_shown=[pk for pk in found if pk not in shown])
    compared = ["family_name", "given_names"] + (["date_of_birth"] if date_of_birth else [])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.LOOKUP,
        summary=f"Looked for a likely match of a person referred: {len(found)} found, "
        f"{len(shown)} shown",
        target=(Person._meta.label_lower, "likely-match"),
        changes={
            "fields": compared,
            "matches": len(found),
            "shown": len(shown),
            "not_shown": len(lookup.not_shown),
        },
    )
    unusual_lookup_check(user=actor)
    return lookup


@transaction.atomic
def match_review_open(*, actor, referral: Referral, candidate_ids: list[str]) -> PersonMatchReview:
    """Ask for a possible match to be confirmed: called by intake, in the transaction that
    records `referral` for a new person, when matches were found and not shown."""
    candidates = list(Person.objects.filter(pk__in=candidate_ids).exclude(pk=referral.person_id))
    review = PersonMatchReview.objects.create(
        referral=referral, opened_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    review.candidates.set(candidates)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Asked for a possible match of referral {referral.reference} to be confirmed",
        target=review,
        changes={"candidates": {"old": None, "new": len(candidates)}},
    )
    return review


@transaction.atomic
def match_review_resolve(
    *, actor, review: PersonMatchReview, same_as: Person | None
) -> PersonMatchReview:
    """Confirm a possible match: `same_as` one of the candidates (the referral moves to
    that person's record and the record made at intake is removed, if nothing else uses
    it), or None for a new person. For a case manager with the identity grant who may see
    every case (`may_confirm_matches`). Audited: the review's status, the referral's
    person (ids), the removal of the record made at intake."""
    if not may_confirm_matches(actor):
        raise MatchReviewError("You need the identity grant to confirm a possible match")
    current = PersonMatchReview.objects.select_for_update().get(pk=review.pk)
    if not current.is_open:
        raise MatchReviewClosedError()
    if same_as is not None and not current.candidates.filter(pk=same_as.pk).exists():
        raise MatchReviewError("Select the person on record, or that this is a new person")
    before = current.status
    if same_as is None:
        current.status = PersonMatchReview.Status.NEW_PERSON
    else:
        current.status = PersonMatchReview.Status.SAME_PERSON
        _move_referral(actor=actor, referral=current.referral, to=same_as)
    current.resolved_by, current.resolved_at = actor, timezone.now()
    current.save(update_fields=["status", "resolved_by", "resolved_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Confirmed the possible match of referral {current.referral.reference}: "
        f"{current.get_status_display().lower()}",
        target=current,
        changes={"status": {"old": before, "new": current.status}},
    )
    review.status = current.status
    return current


def _move_referral(*, actor, referral: Referral, to: Person) -> None:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    made_at_intake = Person.objects.select_for_update().get(pk=locked.person_id)
    locked.person = to
    locked.version += 1
    locked.save(update_fields=["person", "version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Moved referral {locked.reference} to the record of the person referred before",
        target=locked,
        changes={
            "person": {"old": str(made_at_intake.pk), "new": str(to.pk)},
            "version": {"old": locked.version - 1, "new": locked.version},
        },
    )
    if made_at_intake.referrals.exists():
        return  # another referral was recorded for it meanwhile: it stays
    removed_id = str(made_at_intake.pk)
    try:
        with transaction.atomic():
            made_at_intake.delete()
    except ProtectedError as error:
        raise MatchReviewError(
            "The record made at intake already has disclosures or a subject access request "
            "of its own: record those against the person on record first"
        ) from error
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=f"Removed the record of a person made at intake for referral {locked.reference}, "
        "the same person as one on record",
        target=(Person._meta.label_lower, removed_id),
    )


@transaction.atomic(savepoint=False)
def match_review_record_view(*, actor, review: PersonMatchReview, candidates) -> None:
    """Showing a review shows both people's identities: a view of the new referral (which
    counts for unusual access like any case view) and one of each candidate shown."""
    from referrals.services import referral_record_view  # services opens reviews

    referral_record_view(actor=actor, referral=review.referral, section="Possible match")
    for person in candidates:
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.VIEW,
            summary=f"Compared with the person of referral {review.referral.reference} "
            "(a possible match)",
            target=person,
        )
