"""Whatever users type into a label that reaches a chart is drawn as plain text.

Course titles, plan headings and audience names reach the annual report's charts. A
title such as `Awareness $\\notacommand$` used to make the report's page and PDF fail
(matplotlib read `$…$` as a formula), and "Cost $5 and $10" was drawn as one.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from governance.selectors import RAG_KEYS, RAG_LABELS
from prevent_portal.ui.charts import plain_label
from reporting.charts import CHARTS, chart_svg
from tests.reporting.conftest import make_edition
from tests.reporting.test_annual_report import pdf_text
from tests.training.helpers import make_session
from training.models import Course
from training.selectors import CourseRow

BROKEN = "Awareness $\\notacommand$"
DOLLARS = "Cost $5 and $10"


def svg_texts(svg: str) -> list[str]:
    """The text of each <text> element; fails unless the SVG is well-formed XML."""
    root = ET.fromstring(svg)  # noqa: S314 - the SVG the portal just made, no entities
    return ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]


def figures_labelled(label: str) -> SimpleNamespace:
    """Annual figures whose every chart label (course, audience, plan heading) is `label`."""
    return SimpleNamespace(
        training=SimpleNamespace(
            courses=[CourseRow(title=label, sessions=1, attendees=3)],
            bespoke=CourseRow(title="Other bespoke input", sessions=1, attendees=2),
        ),
        education=SimpleNamespace(rows=[SimpleNamespace(audience=label, sessions=4)]),
        progress=[
            {
                "heading": label,
                "counts": dict.fromkeys(RAG_KEYS, 1),
                "segments": [{"key": key, "label": RAG_LABELS[key]} for key in RAG_KEYS],
            }
        ],
    )


LABELS = st.one_of(
    st.text(max_size=300),  # any code point, surrogates and NUL included
    st.text(alphabet=st.sampled_from("$\\{}_^%&<>\"'#~ a1\x00\n\t"), max_size=60),
    st.builds(
        lambda piece, times: piece * times,
        st.text(min_size=1, max_size=4),
        st.integers(min_value=200, max_value=1500),
    ),  # fmt: skip
)


@settings(max_examples=60, deadline=None)
@given(label=LABELS)
@example(label=BROKEN)
@example(label=DOLLARS)
@example(label="$x_1^2$ \\frac{a}{b} {braces} under_score caret^ 100%")
@example(label="\\$ \\\\ $$ $")
@example(label="nul\x00byte and\ncontrol\x1b\x7f characters")
@example(label="مرحبا בעולם العربية")  # right to left
@example(label="Emoji 🎉👩🏽‍💻 and ﷽")
@example(label="x" * 5000)
@example(label='a style="fill: red" id="x" url(#y) xlink:href="#z"')
@example(label="<!DOCTYPE x><?xml version='1.0'?><style>*{}</style><script>alert(1)</script>")
def test_every_chart_draws_any_label_as_typed(label):
    figures = figures_labelled(label)
    expected = plain_label(label)
    for name in CHARTS:
        svg = chart_svg(name, figures)
        texts = svg_texts(svg)
        if expected:
            assert expected in texts, (name, label)
        tags = re.findall(r"<[^>]*>", svg)  # text cannot hold "<": matplotlib escapes it
        assert not [tag for tag in tags if re.search(r"\sstyle=", tag)], "no style attribute"
        assert not [tag for tag in tags if tag.startswith(("<script", "<style", "<!--"))]


def test_plain_label_keeps_text_and_drops_what_xml_cannot_hold():
    assert plain_label(BROKEN) == BROKEN
    assert plain_label("  a\x00b\nc\u2028d\td\ud800e\uffff  ") == "a b c d de"
    assert plain_label(42) == "42"


@pytest.mark.django_db
def test_the_report_and_its_pdf_show_dollar_titles_as_typed(client_as, report_data, persona):
    for title in (BROKEN, DOLLARS):
        course = Course.objects.create(
            title=title, position=900 + len(title), duration="1 hour", capacity=20
        )
        make_session(on=date(2026, 4, 2), course_title=course.title, attendees=7)
    edition = make_edition()
    client = client_as("coordinator")
    page = client.get(reverse("reporting:annual-preview", args=[edition.pk]))
    assert page.status_code == 200
    charts = re.findall(r'<svg class="report-chart-svg".*?</svg>', page.text, flags=re.DOTALL)
    training = next(svg for svg in charts if 'aria-label="Training attendees' in svg)
    texts = svg_texts(training)
    assert BROKEN in texts and DOLLARS in texts
    pdf = client.get(reverse("reporting:annual-pdf", args=[edition.pk]))
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "$\\notacommand$" in text and DOLLARS in text
