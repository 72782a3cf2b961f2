"""The case page's sections: one header, one row of tabs, one audited loader.

Each section of a case (the case itself, assessments, panel, consent and support, notes,
tasks, history) is its own page, in whichever app owns it. Every section page:

    referral = load_case(request, pk, section="Notes")     # 404 out of scope; audited
    return render(request, "casework/notes.html", case_context(request, referral, "notes", ...))

and its template extends ``referrals/case_base.html``. A new section adds one line to
CASE_TABS (and its URL to the URL walk).
"""

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from prevent_portal.accounts.roles import Perm
from referrals.models import Referral
from referrals.selectors import referral_for_case_page
from referrals.services import referral_record_view


@dataclass(frozen=True)
class CaseTab:
    key: str
    label: str
    url_name: str  # takes the referral's pk as `pk`
    permission: str = Perm.CASES_VIEW


# In the order shown. Change the sections of a case here and nowhere else.
CASE_TABS: list[CaseTab] = [
    CaseTab("case", "Case", "referrals:referral-detail"),
    CaseTab("assessments", "Assessments", "vaf:assessment-list"),
    CaseTab("panel", "Panel", "channel:case-panel"),
    CaseTab("consent-support", "Consent and support", "casework:consent-support"),
    CaseTab("notes", "Notes", "casework:notes"),
    CaseTab("risk", "Risk and escalations", "casework:risk"),
    CaseTab("tasks", "Tasks", "worklist:case-tasks"),
    CaseTab("documents", "Documents", "documents:case-documents"),
    CaseTab("chronology", "Chronology", "documents:case-chronology"),
    CaseTab("disclosures", "Disclosures", "disclosures:case"),
    CaseTab("retention", "Retention", "retention:case"),
    CaseTab("access-log", "Access log", "referrals:case-access-log", Perm.CASES_SUPERVISE),
]


def uuid_or_404(value) -> UUID:
    try:
        return UUID(str(value))
    except ValueError as error:
        raise Http404 from error


def disposal_of(referral: Referral):
    """The approved disposal of the case (the retention app's record), or None. No query
    when the referral was read for a case page and had none then (`has_disposal`)."""
    from retention.models import Disposal, DisposalStatus

    if getattr(referral, "has_disposal", True) is False:
        return None

    return (
        Disposal.objects.filter(referral=referral, status=DisposalStatus.DISPOSED)
        .select_related("proposed_by", "decided_by")
        .first()
    )


def is_disposed(referral: Referral) -> bool:
    return disposal_of(referral) is not None


def load_case(request, pk, *, section: str = "", allow_disposed: bool = False) -> Referral:
    """The referral `request.user` may see, or 404; records the view (docs/security.md §11).

    404, not 403, for a case out of the user's scope: its existence is not disclosed.
    Nothing more is recorded on a case whose personal data has been disposed of: a POST
    to any section of it is refused (403), unless the section says otherwise.
    """
    referral = referral_for_case_page(request.user, uuid_or_404(pk))
    if referral is None:
        raise Http404("No such case")
    if request.method not in ("GET", "HEAD") and not allow_disposed and is_disposed(referral):
        raise PermissionDenied("This case has been disposed of: nothing more can be recorded")
    referral_record_view(actor=request.user, referral=referral, section=section)
    return referral


def case_tabs(user, referral: Referral, active: str) -> list[dict]:
    from prevent_portal.accounts.roles import has_perm

    return [
        {
            "label": tab.label,
            "url": reverse(tab.url_name, kwargs={"pk": referral.pk}),
            "active": tab.key == active,
        }
        for tab in CASE_TABS
        if has_perm(user, tab.permission)
    ]


def case_context(request, referral: Referral, active: str, **extra) -> dict:
    """What ``referrals/case_base.html`` needs, plus the section's own context."""
    label = next((tab.label for tab in CASE_TABS if tab.key == active), "")
    crumbs = [("Cases", reverse("referrals:index"))]
    if active == "case":
        crumbs.append((referral.reference, ""))
    else:
        crumbs += [
            (referral.reference, reverse("referrals:referral-detail", kwargs={"pk": referral.pk})),
            (label, ""),
        ]
    from casework.selectors import open_risk_flags  # inside: casework imports this module

    if "disposal" not in extra:
        # Shown at the top of every section (retention/_disposed_banner.html): one query.
        extra["disposal"] = disposal_of(referral)
    return {
        "referral": referral,
        # Shown at the top of every section (casework/_risk_banner.html): one query.
        "open_risk_flags": open_risk_flags(referral),
        "case_tabs": case_tabs(request.user, referral, active),
        "case_section": label,
        "show_identities": request.user.can_see_identities,
        "crumbs": crumbs,
        **extra,
    }
