"""Each table of the annual report as rows for CSV and XLSX (prevent_portal.ui.exports).

Referral tables carry the suppressed display values ("fewer than 5", "withheld"), never
the counts behind them, so an export reveals no more than the page."""

from dataclasses import dataclass

from reporting.annual import RAG_COLUMNS, AnnualFigures


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list]


def _training(f: AnnualFigures) -> Table:
    return Table(
        "Training delivered by course",
        ["Course", "Sessions delivered", "Attendees"],
        [[row.title, row.sessions, row.attendees] for row in f.training.rows],
    )


def _education(f: AnnualFigures) -> Table:
    rows = [[r.audience, r.sessions, r.settings, r.attendees] for r in f.education.rows]
    t = f.education.total
    rows.append(["Total", t.sessions, t.settings, t.attendees])
    return Table(
        "Education outreach by audience",
        ["Audience", "Sessions", "Schools attended", "Attendees"],
        rows,
    )


def _coverage(f: AnnualFigures) -> Table:
    return Table(
        "Open settings reached by PEO area",
        ["PEO area", "Open settings", "Reached", "Coverage (%)"],
        [[r.name, r.open_settings, r.reached, r.percent] for r in f.education.by_peo_area],
    )


def _plan(f: AnnualFigures) -> Table:
    rows = [
        [str(row["heading"]), *[s["count"] for s in row["segments"]], row["total"]]
        for row in f.progress
    ]
    rows.append(["Total", *f.progress_totals["counts"], f.progress_totals["total"]])
    return Table("Plan actions by heading and RAG rating", ["Heading", *RAG_COLUMNS, "Total"], rows)


def _risks(f: AnnualFigures) -> Table:
    return Table(
        "Priority risk areas",
        ["Risk area", "Rating", "Trend", "Actions against it"],
        [
            [a.title, a.get_rating_display(), a.get_trend_display(), a.action_count]
            for a in f.risk_areas
        ],
    )


def _community(f: AnnualFigures) -> Table:
    c = f.community
    rows = [["Weekly tension summaries issued", "", c.summaries_issued]]
    rows += [["Incidents by kind", item.label, item.count] for item in c.incidents_by_kind]
    rows += [["Incidents by district", item.label, item.count] for item in c.incidents_by_district]
    rows += [["Activities by type", item.label, item.count] for item in c.activities_by_type]
    return Table("Community engagement", ["Figure", "Category", "Count"], rows)


def _referrals(f: AnnualFigures) -> Table:
    rows = []
    for breakdown in f.referrals.breakdowns:
        for row in breakdown.rows:
            rows.append(
                [breakdown.title, row.label, row.cell.display, breakdown.percent(row) or ""]
            )
        rows.append([breakdown.title, "Total", breakdown.total.display, ""])
    for row in f.referrals.channel:
        rows.append(["Channel", row.label, row.cell.display, ""])
    return Table(
        "Prevent referrals and Channel (small numbers suppressed)",
        ["Breakdown", "Category", "Referrals", "Share"],
        rows,
    )


TABLES = {
    "training": _training,
    "education": _education,
    "coverage": _coverage,
    "plan": _plan,
    "risks": _risks,
    "community": _community,
    "referrals": _referrals,
}


def report_table(name: str, figures: AnnualFigures) -> Table:
    return TABLES[name](figures)
