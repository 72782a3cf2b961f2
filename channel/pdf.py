"""The panel pack: a PDF for a Channel panel meeting.

Rendered by prevent_portal.ui.pdf (its fetcher serves only the portal's static files).
Every page carries the OFFICIAL-SENSITIVE marking at top and bottom and a diagonal
watermark naming the person who produced it and when (static/css/channel-pack.css).
"""

from governance.selectors import partnership_name
from prevent_portal.ui.pdf import render_pdf


def panel_pack_pdf(
    meeting, *, cases, attendees, producer: str, produced_at, show_identities: bool
) -> bytes:
    return render_pdf(
        "channel/panel_pack.html",
        {
            "meeting": meeting,
            "cases": cases,
            "attendees": attendees,
            "producer": producer,
            "produced_at": produced_at,
            "show_identities": show_identities,
            "partnership": partnership_name() or "Prevent partnership",
        },
    )
