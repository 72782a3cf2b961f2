"""Every read of referrals. `referrals_visible_to` is the one place that scopes rows."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.ui.choices import attach_reference_rows
from referrals.conf import SCOPE_ASSIGNED, referrals_scope
from referrals.models import ConcernType, Person, PersonMatchReview, Referral, ReferralEvent


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


# What a row of the case list shows, and nothing more: the person's names and what
# their age band needs, and the case manager's name. Sector, main concern and district
# come from the cached reference rows (`list_rows`), not from joins: planning a query of
# six joins cost PostgreSQL more than running it.
LIST_FIELDS = (
    "reference",
    "date_received",
    "status",
    "sector_id",
    "primary_concern_id",
    "case_manager_id",
    "person__given_names",
    "person__family_name",
    "person__date_of_birth",
    "person__approximate_age",
    "person__approximate_age_on",
    "person__district_id",
    "case_manager__first_name",
    "case_manager__last_name",
)


def referrals_for_list_page(user) -> QuerySet[Referral]:
    """The case list's rows: `referrals_visible_to`, with only what a row shows."""
    return referrals_visible_to(user).select_related("person", "case_manager").only(*LIST_FIELDS)


def list_rows(referrals) -> list[Referral]:
    """The referrals of one page, with their sector, main concern and the person's
    district set from the cached reference rows (no further query)."""
    rows = list(referrals)
    for name in ("sector", "primary_concern"):
        attach_reference_rows(rows, Referral._meta.get_field(name))
    attach_reference_rows([row.person for row in rows], Person._meta.get_field("district"))
    return rows


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
    """The referral with its person and case manager; its reference rows (sector, main
    concern, outcome, the person's sex and district) from the cache, not from joins.

    Four flags in the same query spare most case pages four more: `has_disposal` (the
    case has been disposed of: `case_pages.disposal_of` reads the disposal only then),
    `has_open_risk_flags` (the banner on every section: `casework.selectors.
    open_risk_flags` reads them only then) and `has_other_referrals` (the person was
    referred before or since: `earlier_referrals` reads them, scoped to the user, only
    then) and `has_open_match_review` (a possible match waits to be confirmed:
    `match_review_of` reads it only then)."""
    # Inside: retention and casework build on this app.
    from casework.models import RiskFlag
    from retention.models import Disposal, DisposalStatus

    disposed = Disposal.objects.filter(referral=OuterRef("pk"), status=DisposalStatus.DISPOSED)
    flags = RiskFlag.objects.filter(referral=OuterRef("pk"), closed_on__isnull=True)
    others = Referral.objects.filter(person_id=OuterRef("person_id")).exclude(pk=OuterRef("pk"))
    review = PersonMatchReview.objects.filter(
        referral=OuterRef("pk"), status=PersonMatchReview.Status.OPEN
    )
    referral = (
        referrals_visible_to(user)
        .select_related("person", "case_manager")
        .annotate(
            has_disposal=Exists(disposed),
            has_open_risk_flags=Exists(flags),
            has_other_referrals=Exists(others),
            has_open_match_review=Exists(review),
        )
        .prefetch_related(
            Prefetch("concern_types", queryset=ConcernType.objects.order_by("position"))
        )
        .filter(pk=pk)
        .first()
    )
    if referral is not None:
        for name in ("sector", "primary_concern", "outcome"):
            attach_reference_rows([referral], Referral._meta.get_field(name))
        for name in ("sex", "district"):
            attach_reference_rows([referral.person], Person._meta.get_field(name))
    return referral


def earlier_referrals(user, referral: Referral) -> list[Referral]:
    """The person's other referrals that `user` may see (no query when the case page's
    referral says there are none)."""
    if getattr(referral, "has_other_referrals", True) is False:
        return []
    others = list(
        referrals_visible_to(user).filter(person_id=referral.person_id).exclude(pk=referral.pk)
    )
    attach_reference_rows(others, Referral._meta.get_field("primary_concern"))
    return others


def likely_matches(*, given_names: str, family_name: str, date_of_birth) -> list[Person]:
    """The ids of people who may be the one being referred: same family name and date of
    birth, or same given and family names (case-insensitive).

    Not scoped, and so never shown as it is: `referrals.matching.person_match_lookup`
    (audited) splits it into what the user may be shown and what only a review may see.
    """
    family, given = family_name.strip().lower(), given_names.strip().lower()
    condition = Q(family_lower=family, given_lower=given)
    if date_of_birth is not None:
        condition |= Q(family_lower=family, date_of_birth=date_of_birth)
    return list(
        Person.objects.annotate(family_lower=Lower("family_name"), given_lower=Lower("given_names"))
        .filter(condition)
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )


def people_visible_to(user) -> QuerySet[Person]:
    """People with at least one referral `user` may open (identities aside)."""
    return Person.objects.filter(
        Exists(referrals_visible_to(user).filter(person_id=OuterRef("pk")))
    )


def may_see_match(user) -> bool:
    """Whether a likely match may be shown to `user` at all: only with the identity
    grant (a match names someone referred, and the name search refuses the same)."""
    return bool(getattr(user, "can_see_identities", False))


def people_with_their_cases(user, ids) -> list[Person]:
    """The people of `ids` that `user` may be shown as a likely match, each with only the
    referrals `user` may open (`person.cases`), newest first; none without the grant."""
    if not may_see_match(user) or not ids:
        return []
    people = list(
        people_visible_to(user)
        .filter(pk__in=list(ids))
        .order_by("family_name", "given_names", "pk")
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=referrals_visible_to(user).order_by("-date_received"),
                to_attr="cases",
            )
        )
    )
    attach_reference_rows(people, Person._meta.get_field("district"))
    attach_reference_rows(
        [case for person in people for case in person.cases],
        Referral._meta.get_field("primary_concern"),
    )
    return people


def may_confirm_matches(user) -> bool:
    """Who confirms a possible match that intake did not show: a case manager with the
    identity grant who may see every case (a supervisor, or anyone when the scope is
    "all"). Confirming means comparing names and dates of birth across cases."""
    if not (has_perm(user, Perm.CASES_MANAGE) and may_see_match(user)):
        return False
    return referrals_scope() != SCOPE_ASSIGNED or has_perm(user, Perm.CASES_SUPERVISE)


def match_reviews_for(user) -> QuerySet[PersonMatchReview]:
    """The possible matches `user` may confirm (and those confirmed), oldest first."""
    if not may_confirm_matches(user):
        return PersonMatchReview.objects.none()
    return (
        PersonMatchReview.objects.filter(referral__in=referrals_visible_to(user))
        .select_related("referral", "referral__person", "opened_by")
        .annotate(candidate_count=Count("candidates"))
        .order_by("opened_at", "pk")
    )


def match_reviews_to_confirm(user) -> QuerySet[PersonMatchReview]:
    """The open possible matches `user` may confirm, oldest first."""
    return match_reviews_for(user).filter(status=PersonMatchReview.Status.OPEN)


def match_review_for(user, pk) -> PersonMatchReview | None:
    """One review `user` may confirm, with its candidates' ids; None if not."""
    review = match_reviews_for(user).select_related("resolved_by").filter(pk=pk).first()
    if review is not None:
        review.candidate_ids = [
            str(value) for value in review.candidates.order_by("pk").values_list("pk", flat=True)
        ]
        attach_reference_rows([review.referral.person], Person._meta.get_field("district"))
    return review


def open_match_review_count(user) -> int | None:
    """The number of possible matches waiting for `user` to confirm; None (and no query)
    for someone who may not confirm them."""
    if not may_confirm_matches(user):
        return None
    return match_reviews_to_confirm(user).count()


def match_review_of(referral: Referral) -> PersonMatchReview | None:
    """The open review of a referral, if any (no query when the case page's referral says
    there is none)."""
    if getattr(referral, "has_open_match_review", True) is False:
        return None
    return PersonMatchReview.objects.filter(
        referral=referral, status=PersonMatchReview.Status.OPEN
    ).first()


def access_log(referral: Referral) -> QuerySet[AuditEvent]:
    """Who opened or changed the case, newest first: for supervisors only (the columns
    its Access log section shows; the changes themselves are in the audit log)."""
    return (
        AuditEvent.objects.filter(
            target_type=Referral._meta.label_lower, target_id=str(referral.pk)
        )
        .only("occurred_at", "actor_username", "verb", "summary")
        .order_by("-occurred_at", "-id")
    )


def referral_timeline(referral: Referral) -> list:
    """The steps of a referral's journey, newest first, with who recorded each."""
    return list(
        ReferralEvent.objects.filter(referral=referral)
        .select_related("actor")
        .order_by("-occurred_on", "-id")
    )
