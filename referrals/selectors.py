"""Every read of referrals. `referrals_visible_to` is the one place that scopes rows."""

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from referrals.conf import SCOPE_ASSIGNED, referrals_scope
from referrals.models import ConcernType, Person, Referral, ReferralEvent


def referrals_visible_to(user) -> QuerySet[Referral]:
    """The referrals `user` may see: none without CASES_VIEW; all of the partnership's,
    or (REFERRALS_SCOPE = "assigned") only their own unless they supervise case work."""
    if not has_perm(user, Perm.CASES_VIEW):
        return Referral.objects.none()
    referrals = Referral.objects.all()
    if referrals_scope() == SCOPE_ASSIGNED and not has_perm(user, Perm.CASES_SUPERVISE):
        referrals = referrals.filter(case_manager=user)
    return referrals


def referrals_for_list(user) -> QuerySet[Referral]:
    return referrals_visible_to(user).select_related(
        "person", "person__district", "sector", "primary_concern", "case_manager"
    )


def referrals_search(referrals: QuerySet[Referral], text: str, *, by_name: bool):
    """By reference (any part), and by name only for users who may see identities:
    otherwise a hit on a name would itself disclose who has been referred."""
    text = " ".join(text.split())
    if not text:
        return referrals
    condition = Q(reference__icontains=text) | Q(police_reference__iexact=text)
    if by_name:
        by_words = Q()
        for word in text.split():
            by_words &= Q(person__given_names__icontains=word) | Q(
                person__family_name__icontains=word
            )
        condition |= by_words
    return referrals.filter(condition)


def referral_for_case_page(user, pk) -> Referral | None:
    return (
        referrals_for_list(user)
        .select_related("outcome", "case_manager", "person__sex")
        .prefetch_related(
            Prefetch("concern_types", queryset=ConcernType.objects.order_by("position"))
        )
        .filter(pk=pk)
        .first()
    )


def earlier_referrals(user, referral: Referral) -> list[Referral]:
    """The person's other referrals that `user` may see."""
    return list(
        referrals_visible_to(user)
        .filter(person_id=referral.person_id)
        .exclude(pk=referral.pk)
        .select_related("primary_concern")
    )


def likely_matches(*, given_names: str, family_name: str, date_of_birth) -> list[Person]:
    """People who may be the one being referred: same family name and date of birth, or
    same given and family names (case-insensitive), with their earlier referrals."""
    family, given = family_name.strip().lower(), given_names.strip().lower()
    condition = Q(family_lower=family, given_lower=given)
    if date_of_birth is not None:
        condition |= Q(family_lower=family, date_of_birth=date_of_birth)
    return list(
        Person.objects.annotate(family_lower=Lower("family_name"), given_lower=Lower("given_names"))
        .filter(condition)
        .select_related("district", "sex")
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("primary_concern").order_by(
                    "-date_received"
                ),
            )
        )[:20]
    )


def access_log(referral: Referral) -> QuerySet[AuditEvent]:
    """Who opened or changed the case, newest first: for supervisors only (the columns
    the case page shows; the changes themselves are in the audit log)."""
    return (
        AuditEvent.objects.filter(
            target_type=Referral._meta.label_lower, target_id=str(referral.pk)
        )
        .only("occurred_at", "actor_username", "verb")
        .order_by("-occurred_at", "-id")
    )


def referral_timeline(referral: Referral) -> list:
    """The steps of a referral's journey, newest first, with who recorded each."""
    return list(
        ReferralEvent.objects.filter(referral=referral)
        .select_related("actor")
        .order_by("-occurred_on", "-id")
    )
