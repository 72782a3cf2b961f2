"""The one place that draws charts with matplotlib: SVG made on the server, labels as
plain text, safe to place inline under the strict Content Security Policy.

Every chart of the portal is built with `new_figure` and written with `figure_svg`
(`tests/ui/test_charts.py` fails if another module imports matplotlib). Labels come from
what users typed (course titles, plan headings, audience names), so:

- matplotlib's mathtext is off for every text artist (`text.parse_math`, and again on each
  artist before the figure is written): `Awareness $\\notacommand$` would otherwise fail
  the whole page, and "Cost $5 and $10" would be drawn as a formula;
- `plain_label` turns what XML cannot hold (NUL and other control characters,
  surrogates) into spaces or nothing, and keeps everything else as typed;
- `sanitise` rewrites matplotlib's tags only, never the text between them, so a label
  such as `id="x"` or `style="…"` is shown as typed and cannot reach an attribute.
"""

import io
import re
import unicodedata
import warnings
from html import escape
from html import unescape as html_unescape

import matplotlib

matplotlib.use("svg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

WIDTH = 6.6  # inches
FONT = ["Liberation Sans", "Arial", "DejaVu Sans"]
INK, GREY = "#0b0c0c", "#505a5f"

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: searchable, and set in the page's font
        "svg.hashsalt": "prevent-portal",  # the same figures make the same file
        "font.family": "sans-serif",
        "font.sans-serif": FONT,
        "font.size": 9,
        "hatch.linewidth": 0.6,
        # Labels are what users typed: never parse "$…$" as a formula, never run TeX.
        "text.parse_math": False,
        "text.usetex": False,
    }
)

# The SVG keeps text as text (svg.fonttype "none"), so the browser or the PDF renderer
# sets it in its own fonts; a glyph missing from matplotlib's font only changes a width
# that matplotlib estimates for the layout.
_MISSING_GLYPH = r"Glyph \d+ .* missing from font"


def plain_label(value) -> str:
    """`value` as a one-line chart label: control characters and line or paragraph
    separators become spaces (a label is one line), and what XML 1.0 cannot hold
    (surrogates, U+FFFE and U+FFFF) is dropped. Everything else is kept as typed."""
    characters = []
    for character in str(value):
        category = unicodedata.category(character)
        if category == "Cs" or character in "\ufffe\uffff":
            continue
        if category in ("Cc", "Zl", "Zp"):
            characters.append(" ")
        else:
            characters.append(character)
    return "".join(characters).strip()


def label_inches(labels) -> float:
    """The width of the longest label, in inches, from the font's own metrics."""
    prop = FontProperties(family="sans-serif", size=matplotlib.rcParams["font.size"])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _MISSING_GLYPH, UserWarning)
        widths = [text_to_path.get_text_width_height_descent(label, prop, ismath=False)[0]
                  for label in labels]  # fmt: skip
    return max(widths, default=0) / 72


def new_figure(labels, height: float, *, bottom: float) -> tuple[Figure, object]:
    """A figure with room for the (already plain) tick labels on the left and `bottom`
    inches below the axes. The margins are worked out from the labels' widths:
    matplotlib's constrained layout, which measures every artist, took half of each
    chart's time."""
    figure = Figure(figsize=(WIDTH, height))
    left = min(label_inches(labels) + 0.2, WIDTH / 2)
    figure.subplots_adjust(
        left=left / WIDTH, right=1 - 0.15 / WIDTH, bottom=bottom / height, top=1 - 0.1 / height
    )
    return figure, figure.add_subplot()


def whole_number_ticks(axis) -> None:
    """Ticks on whole numbers only, for an axis of counts."""
    axis.set_major_locator(MaxNLocator(integer=True))


_TAG = re.compile(r"<[^>]*>")  # text content cannot hold "<" or ">": matplotlib escapes them
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


def _sanitise_tag(tag: str, name: str) -> str:
    tag = _STYLE_ATTRIBUTE.sub(_presentational, tag)
    tag = _ID.sub(lambda m: f'id="chart-{name}-{m.group(1)}"', tag)
    return tag.replace("url(#", f"url(#chart-{name}-").replace(
        'xlink:href="#', f'xlink:href="#chart-{name}-'
    )


def sanitise(svg: str, name: str) -> str:
    """matplotlib's SVG made safe to place inside a page under a strict CSP: no style
    attributes or <style> element (their declarations become presentation attributes,
    which CSP does not govern), ids prefixed so that two charts on a page do not clash,
    and no XML prolog. Only tags are rewritten; the text of labels is left alone."""
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"^<!DOCTYPE[^>]*>\s*", "", svg)
    # matplotlib's RDF metadata is not valid inside an HTML page (the Nu checker).
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)
    svg = _TAG.sub(lambda m: _sanitise_tag(m.group(0), name), svg)
    # What the removed <style> said for every element, now inherited from the root.
    return svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)


def figure_svg(figure: Figure, name: str, title: str) -> str:
    """The figure as sanitised inline SVG, with `title` as its accessible name. Every text
    artist is set to plain text first, whatever made it."""
    for artist in figure.findobj(Text):
        artist.set_parse_math(False)
        artist.set_usetex(False)
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _MISSING_GLYPH, UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
    svg = sanitise(buffer.getvalue(), name)
    svg = svg.replace(
        "<svg ", f'<svg class="report-chart-svg" role="img" aria-label="{escape(title)}" ', 1
    )
    # The title as the SVG's first child: the PDF's alternative text for the figure.
    opening = svg.index(">", svg.index("<svg ")) + 1
    return f"{svg[:opening]}<title>{escape(title)}</title>{svg[opening:]}"
