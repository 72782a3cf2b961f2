"""Server-rendered SVG charts of the annual report (matplotlib, no browser scripts).

Each chart sits next to the table that holds its figures, so the chart is never the only
way to read them. Readable in greyscale: bars carry their value as text, and the stacked
bar of the plan uses hatching as well as shades. Only figures that are not about people
are charted: referral counts, which are suppressed, stay in tables.
"""

import io
import re
from html import escape
from html import unescape as html_unescape

import matplotlib

matplotlib.use("svg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from reporting.annual import AnnualFigures  # noqa: E402

CHARTS = ("training", "education", "plan")
WIDTH = 6.6  # inches
FONT = ["Liberation Sans", "Arial", "DejaVu Sans"]
INK, GREY = "#0b0c0c", "#505a5f"
# Plan RAG segments: shade and hatch, so that each reads apart in greyscale.
RAG_STYLE = {
    "red": ("#ca3535", "xx"),
    "amber": ("#f47738", "//"),
    "green": ("#0f7a52", ".."),
    "complete": ("#1d70b8", ""),
    "none": ("#f3f2f1", ""),
}

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: searchable, and set in the page's font
        "svg.hashsalt": "prevent-portal",  # the same figures make the same file
        "font.family": "sans-serif",
        "font.sans-serif": FONT,
        "font.size": 9,
        "hatch.linewidth": 0.6,
    }
)


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')


def _presentational(match: re.Match) -> str:
    """style="fill: #fff; stroke: #000" -> fill="#fff" stroke="#000"."""
    attributes = []
    for declaration in match.group(1).split(";"):
        if ":" in declaration:
            name, value = (part.strip() for part in declaration.split(":", 1))
            attributes.append(f' {name}="{escape(html_unescape(value))}"')
    return "".join(attributes)


def sanitise(svg: str, name: str) -> str:
    """matplotlib's SVG made safe to place inside a page under a strict CSP: no style
    attributes or <style> element (their declarations become presentation attributes,
    which CSP does not govern), ids prefixed so that two charts on a page do not clash,
    and no XML prolog."""
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    # matplotlib's RDF metadata is not valid inside an HTML page (the Nu checker).
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)
    svg = _STYLE_ATTRIBUTE.sub(_presentational, svg)
    svg = _ID.sub(lambda m: f'id="chart-{name}-{m.group(1)}"', svg)
    svg = svg.replace("url(#", f"url(#chart-{name}-").replace(
        'xlink:href="#', f'xlink:href="#chart-{name}-'
    )
    # What the removed <style> said for every element, now inherited from the root.
    return svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)


def _svg(figure: Figure, name: str, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
    svg = sanitise(buffer.getvalue(), name)
    svg = svg.replace(
        "<svg ", f'<svg class="report-chart-svg" role="img" aria-label="{escape(title)}" ', 1
    )
    # The title as the SVG's first child: the PDF's alternative text for the figure.
    opening = svg.index(">", svg.index("<svg ")) + 1
    return f"{svg[:opening]}<title>{escape(title)}</title>{svg[opening:]}"


def _label_inches(labels) -> float:
    """The width of the longest tick label, in inches, from the font's own metrics."""
    prop = FontProperties(family="sans-serif", size=matplotlib.rcParams["font.size"])
    widths = [text_to_path.get_text_width_height_descent(str(label), prop, ismath=False)[0]
              for label in labels]  # fmt: skip
    return max(widths, default=0) / 72


def _figure(labels, height: float, *, bottom: float) -> tuple[Figure, object]:
    """A figure with room for the tick labels on the left and `bottom` inches below the
    axes. The margins are worked out from the labels' widths: matplotlib's constrained
    layout, which measures every artist, took half of each chart's time."""
    figure = Figure(figsize=(WIDTH, height))
    left = min(_label_inches(labels) + 0.2, WIDTH / 2)
    figure.subplots_adjust(
        left=left / WIDTH, right=1 - 0.15 / WIDTH, bottom=bottom / height, top=1 - 0.1 / height
    )
    return figure, figure.add_subplot()


def _horizontal_bars(labels, values, *, name: str, title: str, xlabel: str) -> str:
    height = 0.9 + 0.32 * max(len(labels), 1)
    figure, axes = _figure(labels, height, bottom=0.5)
    positions = list(range(len(labels)))[::-1]
    bars = axes.barh(positions, values, color="#1d70b8", edgecolor=INK, linewidth=0.5)
    axes.bar_label(bars, labels=[str(value) for value in values], padding=3, color=INK)
    axes.set_yticks(positions, labels=labels)
    axes.set_xlabel(xlabel, color=GREY)
    axes.set_xlim(0, max([*values, 1]) * 1.15)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=INK)
    return _svg(figure, name, title)


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
    labels = [str(row["heading"]) for row in rows]
    height = 1.3 + 0.32 * max(len(rows), 1)
    figure, axes = _figure(labels, height, bottom=0.85)
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
            label=label,
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
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(loc="lower center", ncols=5, frameon=False, bbox_to_anchor=(0.5, 0))
    return _svg(figure, "plan", "Plan actions by heading and RAG rating")


def chart_svg(name: str, figures: AnnualFigures) -> str:
    return {"training": training_chart, "education": education_chart, "plan": plan_chart}[name](
        figures
    )
