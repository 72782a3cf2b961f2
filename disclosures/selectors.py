"""Every read of the disclosures app. Disclosure entries and subject access requests are
seen only for cases (and people) the user may see: `referrals_visible_to` scopes them."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from disclosures.choices import AgreementStatus
from disclosures.models import DisclosureEntry, SharingAgreement, SubjectAccessRequest
from referrals.models import Person, Referral
from referrals.selectors import referrals_visible_to


def agreements_for_list() -> QuerySet[SharingAgreement]:
    return SharingAgreement.objects.select_related("partner").order_by(
        "status", "review_on", "title"
    )


def active_agreements() -> QuerySet[SharingAgreement]:
    return agreements_for_list().filter(status=AgreementStatus.ACTIVE)


def entries_visible_to(user) -> QuerySet[DisclosureEntry]:
    """Entries about cases the user may see, and those about a person as a whole (a
    subject access release) when one of the person's cases is visible."""
    visible = referrals_visible_to(user)
    return DisclosureEntry.objects.filter(
        Q(referral__in=visible) | Q(referral__isnull=True, person__in=visible.values("person_id"))
    )


def entries_for_log(user) -> QuerySet[DisclosureEntry]:
    return entries_visible_to(user).select_related("referral", "agreement", "recorded_by")


def case_entries(referral: Referral) -> list[DisclosureEntry]:
    """A case's entries, newest first (the caller loaded the case through its scope)."""
    return list(
        DisclosureEntry.objects.filter(referral=referral)
        .select_related("agreement", "recorded_by")
        .order_by("-shared_on", "-recorded_at")
    )


def people_visible_to(user) -> QuerySet[Person]:
    return Person.objects.filter(Exists(referrals_visible_to(user).filter(person=OuterRef("pk"))))


def people_search(user, *, name: str, date_of_birth=None, limit: int = 20) -> list[Person]:
    """People with a case the user may see, by every word of the name (given or family)
    and, if given, the date of birth; each with their referrals."""
    people = people_visible_to(user)
    for word in name.split():
        people = people.filter(Q(given_names__icontains=word) | Q(family_name__icontains=word))
    if date_of_birth is not None:
        people = people.filter(date_of_birth=date_of_birth)
    return list(
        people.select_related("district")
        .prefetch_related(
            Prefetch("referrals", queryset=referrals_visible_to(user).order_by("date_received"))
        )
        .order_by("family_name", "given_names")[:limit]
    )


def person_for_request(user, pk) -> Person | None:
    return people_visible_to(user).select_related("sex", "district").filter(pk=pk).first()


def requests_visible_to(user) -> QuerySet[SubjectAccessRequest]:
    return SubjectAccessRequest.objects.filter(
        Exists(referrals_visible_to(user).filter(person=OuterRef("person_id")))
    )


def requests_for_list(user) -> QuerySet[SubjectAccessRequest]:
    return (
        requests_visible_to(user)
        .select_related("person", "created_by", "released_by")
        .order_by("status", "due_on", "received_on")
    )


def request_for_page(user, pk) -> SubjectAccessRequest | None:
    return (
        requests_visible_to(user)
        .select_related("person", "person__sex", "person__district", "created_by", "released_by")
        .filter(pk=pk)
        .first()
    )
