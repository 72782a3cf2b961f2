"""The printable case summary: a PDF marked OFFICIAL-SENSITIVE on every page and
watermarked with who made it and when, like the panel pack (static/css/channel-pack.css).

It holds the person (identities only with the grant), the referral, the current status,
the latest completed VAF, the support plan, the open risk flags and the chronology.
Rendered by prevent_portal.ui.pdf, whose fetcher serves only the portal's static files.
"""

from casework.selectors import interventions, open_risk_flags
from documents.chronology import chronology
from governance.selectors import partnership_name
from prevent_portal.ui.pdf import render_pdf
from vaf.selectors import latest_completed_assessment


def summary_context(referral, *, show_identities: bool) -> dict:
    return {
        "referral": referral,
        "person": referral.person,
        "types": list(referral.concern_types.all()),
        "assessment": latest_completed_assessment(referral),
        "interventions": interventions(referral),
        "risks": open_risk_flags(referral),
        "events": chronology(referral),
        "show_identities": show_identities,
        "partnership": partnership_name() or "Prevent partnership",
    }


def case_summary_pdf(referral, *, show_identities: bool, producer: str, produced_at) -> bytes:
    context = summary_context(referral, show_identities=show_identities)
    context |= {"producer": producer, "produced_at": produced_at}
    return render_pdf("documents/case_summary_pdf.html", context)
