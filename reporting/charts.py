"""Server-rendered SVG charts of the annual report (matplotlib, no browser scripts).

Each chart sits next to the table that holds its figures, so the chart is never the only
way to read them. Readable in greyscale: bars carry their value as text, and the stacked
bar of the plan uses hatching as well as shades. Only figures that are not about people
are charted: referral counts, which are suppressed, stay in tables.

Drawn through `prevent_portal.ui.charts`, which keeps every label plain text (no
mathtext) and makes the SVG safe under the CSP.
"""

from prevent_portal.ui.charts import (
    GREY,
    INK,
    figure_svg,
    new_figure,
    plain_label,
    whole_number_ticks,
)
from reporting.annual import AnnualFigures

CHARTS = ("training", "education", "plan")
# Plan RAG segments: shade and hatch, so that each reads apart in greyscale.
RAG_STYLE = {
    "red": ("#ca3535", "xx"),
    "amber": ("#f47738", "//"),
    "green": ("#0f7a52", ".."),
    "complete": ("#1d70b8", ""),
    "none": ("#f3f2f1", ""),
}


def _horizontal_bars(labels, values, *, name: str, title: str, xlabel: str) -> str:
    labels = [plain_label(label) for label in labels]
    height = 0.9 + 0.32 * max(len(labels), 1)
    figure, axes = new_figure(labels, height, bottom=0.5)
    positions = list(range(len(labels)))[::-1]
    bars = axes.barh(positions, values, color="#1d70b8", edgecolor=INK, linewidth=0.5)
    axes.bar_label(bars, labels=[str(value) for value in values], padding=3, color=INK)
    axes.set_yticks(positions, labels=labels)
    axes.set_xlabel(xlabel, color=GREY)
    axes.set_xlim(0, max([*values, 1]) * 1.15)
    whole_number_ticks(axes.xaxis)  # counts
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=INK)
    return figure_svg(figure, name, title)


def training_chart(figures: AnnualFigures) -> str:
    rows = [*figures.training.courses, figures.training.bespoke]
    return _horizontal_bars(
        [row.title for row in rows],
        [row.attendees for row in rows],
        name="training",
        title="Training attendees by course",
        xlabel="Attendees",
    )


def education_chart(figures: AnnualFigures) -> str:
    rows = figures.education.rows
    return _horizontal_bars(
        [row.audience for row in rows],
        [row.sessions for row in rows],
        name="education",
        title="Education outreach sessions by audience",
        xlabel="Sessions",
    )


def plan_chart(figures: AnnualFigures) -> str:
    rows = figures.progress
    labels = [plain_label(row["heading"]) for row in rows]
    height = 1.3 + 0.32 * max(len(rows), 1)
    figure, axes = new_figure(labels, height, bottom=0.85)
    positions = list(range(len(rows)))[::-1]
    left = [0] * len(rows)
    for key, (colour, hatch) in RAG_STYLE.items():
        counts = [row["counts"][key] for row in rows]
        label = next(s["label"] for s in rows[0]["segments"] if s["key"] == key) if rows else key
        bars = axes.barh(
            positions,
            counts,
            left=left,
            color=colour,
            hatch=hatch,
            edgecolor=INK,
            linewidth=0.5,
            label=plain_label(label),
        )
        axes.bar_label(
            bars,
            labels=[str(count) if count else "" for count in counts],
            label_type="center",
            color=INK if key == "none" else "white",
            fontweight="bold",
        )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_yticks(positions, labels=labels)
    axes.set_xlabel("Actions", color=GREY)
    whole_number_ticks(axes.xaxis)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(loc="lower center", ncols=5, frameon=False, bbox_to_anchor=(0.5, 0))
    return figure_svg(figure, "plan", "Plan actions by heading and RAG rating")


def chart_svg(name: str, figures: AnnualFigures) -> str:
    return {"training": training_chart, "education": education_chart, "plan": plan_chart}[name](
        figures
    )
