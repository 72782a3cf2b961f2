"""The case list as CSV (docs/security.md §16): the same filters and search as the list page,
after a fresh password and MFA code (prevent_portal/accounts/reauth.py); identities
masked without the grant; every cell through the formula-neutralising CSV helper; the
download audited with its filters and its row count."""

from django.utils import timezone

from prevent_portal.accounts.reauth import reauth_required
from prevent_portal.accounts.roles import Perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.exports import csv_response
from referrals.filters import ReferralFilter
from referrals.models import Referral
from referrals.selectors import referrals_for_list, referrals_search
from referrals.views import SEARCH_KEY, case_view

HEADER = [
    "Reference",
    "Date received",
    "Name",
    "Date of birth",
    "Age at referral",
    "District",
    "Sector",
    "Main concern",
    "Status",
    "Case manager",
]


def _row(referral, *, show_identities: bool) -> list:
    person = referral.person
    manager = referral.case_manager
    return [
        referral.reference,
        referral.date_received.isoformat(),
        person.full_name if show_identities else f"{person.initials} (name hidden)",
        (person.date_of_birth.isoformat() if person.date_of_birth else "")
        if show_identities
        else "Hidden",
        referral.age_band.label,
        person.district.name if person.district else "Not known",
        referral.sector.name,
        referral.primary_concern.name,
        referral.get_status_display(),
        (manager.get_full_name() or manager.get_username()) if manager else "",
    ]


# Permission first (403 without it, never asked to confirm), then the fresh re-auth.
@case_view(Perm.CASES_VIEW)
@reauth_required
def case_export(request):
    """GET: the case list as filtered and searched on referrals.views.index, as CSV."""
    show_identities = request.user.can_see_identities
    referral_filter = ReferralFilter(request.GET or None, queryset=referrals_for_list(request.user))
    if request.GET and not referral_filter.is_valid():
        found = Referral.objects.none()  # as the list page: invalid filters match nothing
    else:
        found = referral_filter.qs
    searched = request.session.get(SEARCH_KEY, "")
    referrals = list(referrals_search(found, searched, by_name=show_identities))
    filters = {key: value for key, value in request.GET.items() if value}
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Exported the case list as CSV ({len(referrals)} cases)",
        target=("referrals.referral", "export"),
        # Whether a search was applied, never its text: it may be a person's name.
        changes={
            "filters": filters,
            "searched": bool(searched),
            "rows": len(referrals),
            "identities": show_identities,
        },
    )
    rows = [_row(referral, show_identities=show_identities) for referral in referrals]
    return csv_response(f"cases-{timezone.localdate():%Y-%m-%d}.csv", HEADER, rows)
