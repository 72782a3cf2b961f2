"""The annual report as a document: the same template renders the HTML preview and,
through WeasyPrint (prevent_portal.ui.pdf), the PDF."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from education.models import AudienceCategory
from governance.selectors import partnership_name
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.ui.pdf import write_pdf
from referrals.models import Sector
from reporting.annual import RAG_COLUMNS, AnnualFigures
from reporting.charts import CHARTS, chart_svg
from reporting.models import NARRATIVE_FIELDS, EditionStatus
from reporting.narrative import Narrative, render_narrative
from training.choices import BESPOKE_LABEL
from training.filters import BESPOKE

PDF_TEMPLATE = "reporting/annual/pdf.html"

# The numbered sections of the report, in order: the narrative field each opens with,
# the section's id in the document, and its title in the contents.
REPORT_SECTIONS = [
    ("introduction", "introduction", "Introduction"),
    ("delivery_commentary", "delivery", "Delivery structure and partnerships"),
    ("training_commentary", "training", "Training"),
    ("education_commentary", "education", "Education"),
    ("community_commentary", "community", "Community engagement"),
    ("referrals_commentary", "referrals", "Prevent referrals and Channel"),
    ("looking_forward", "looking-forward", "Looking forward"),
    ("summary", "summary", "Summary"),
]


@dataclass
class PlaceholderEdition:
    """Stands in for an edition when none is approved for the period (the command line):
    the cover says so and each narrative section says that none was written."""

    starts_on: date
    ends_on: date
    title: str = "Annual report"
    marking: str = "OFFICIAL"
    author: str = "Not yet approved: figures only"
    status: str = EditionStatus.DRAFT
    pk: None = None
    is_placeholder: bool = True

    def __post_init__(self):
        for name in NARRATIVE_FIELDS:
            setattr(self, name, "")


def pdf_filename(edition) -> str:
    return f"annual-report-{edition.starts_on:%Y-%m-%d}-to-{edition.ends_on:%Y-%m-%d}.pdf"


def _url(name: str, **query) -> str:
    return reverse(name) + "?" + urlencode(query)


def provenance_links(user, figures: AnnualFigures) -> dict[str, str]:
    """For each figure a reader may trace, the filtered list of records behind it; only
    for users who may open that list. Referral counts link to the case list for users who
    may see cases; for everyone else they have no drill-down (docs/security.md §15)."""
    start, end = figures.start.isoformat(), figures.end.isoformat()
    links = {}
    links["rows"] = {}  # per table, per row label: the records behind that row
    if has_perm(user, Perm.TRAINING_VIEW):
        links["training"] = _url("training:session-list", date_from=start, date_to=end)
        by_course = {
            course.title: _url(
                "training:session-list", date_from=start, date_to=end, course=course.pk
            )
            for course in figures.offer
        }
        by_course[BESPOKE_LABEL] = _url(
            "training:session-list", date_from=start, date_to=end, course=BESPOKE
        )
        links["rows"]["training"] = by_course
    if has_perm(user, Perm.EDUCATION_VIEW):
        links["education"] = _url("education:session-list", date_from=start, date_to=end)
        links["rows"]["education"] = {
            category.name: _url(
                "education:session-list", date_from=start, date_to=end, audience=category.pk
            )
            for category in AudienceCategory.objects.all()
        }
    if has_perm(user, Perm.COMMUNITY_VIEW):
        links["incidents"] = _url("community:incident-list", start=start, end=end)
        links["activities"] = _url("community:activity-list", start=start, end=end)
    if has_perm(user, Perm.PLAN_VIEW) and figures.plan is not None:
        links["plan"] = reverse("governance:plan-detail", args=[figures.plan.pk])
    if has_perm(user, Perm.CASES_VIEW):
        links["referrals"] = _url("referrals:index", received_from=start, received_to=end)
        links["rows"]["Sector of referral"] = {
            sector.name: _url(
                "referrals:index", received_from=start, received_to=end, sector=sector.pk
            )
            for sector in Sector.objects.all()
        }
    return links


def narratives_of(edition) -> tuple[dict[str, Narrative], list[dict]]:
    """Each narrative section rendered (reporting.narrative), and the contents: each
    section with its numbered sub-headings."""
    narratives, contents = {}, []
    for number, (name, anchor, title) in enumerate(REPORT_SECTIONS, start=1):
        part = render_narrative(getattr(edition, name), number=number, anchor=anchor)
        narratives[name] = part
        contents.append({"anchor": anchor, "title": title, "headings": part.headings})
    return narratives, contents


def document_context(edition, figures: AnnualFigures) -> dict:
    narratives, contents = narratives_of(edition)
    return {
        "edition": edition,
        "narratives": narratives,
        "contents": contents,
        "figures": figures,
        "partnership": partnership_name() or "Prevent partnership",
        "generated_on": timezone.localdate(),
        "links": None,
        "charts": {},
        "rag_columns": RAG_COLUMNS,
    }


def charts_inline(figures: AnnualFigures) -> dict:
    """Each chart as sanitised SVG markup (no style attributes: reporting.charts)."""
    worth_drawing = {
        "training": figures.training.total.sessions > 0,
        "education": figures.education.total.sessions > 0,
        "plan": figures.progress_totals["total"] > 0,
    }
    return {name: {"svg": chart_svg(name, figures)} for name in CHARTS if worth_drawing[name]}


def _print_context(edition, figures: AnnualFigures) -> dict:
    context = document_context(edition, figures)
    context["charts"] = charts_inline(figures)
    return context


def annual_report_html(edition, figures: AnnualFigures) -> str:
    """The standalone HTML document that the PDF is made from (charts inline)."""
    return render_to_string(PDF_TEMPLATE, _print_context(edition, figures))


def annual_report_pdf(edition, figures: AnnualFigures, *, html: str | None = None) -> bytes:
    """The PDF, as PDF/UA-1 (headings, tables and lists for assistive technology), through
    the portal's one PDF writer (prevent_portal/ui/pdf.py). `html`: the document
    from annual_report_html, when the caller has it already (it is not rendered again)."""
    if html is None:
        html = annual_report_html(edition, figures)
    return write_pdf(html)
