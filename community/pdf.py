"""The PDF of an issued tension monitoring summary, for distribution to partners.

Rendered by prevent_portal.ui.pdf, whose fetcher serves only the portal's static files.
"""

from prevent_portal.ui.pdf import render_pdf


def summary_pdf(summary, *, context: dict) -> bytes:
    """Render the summary's printable template to PDF bytes."""
    return render_pdf("community/summary_pdf.html", {"summary": summary, **context})
