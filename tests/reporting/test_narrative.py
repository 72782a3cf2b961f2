"""The annual report's narrative: Markdown with raw HTML off, cleaned by nh3, with
numbered sub-headings that the contents and the PDF bookmarks list."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.narrative import render_narrative


def html(text: str, **kwargs) -> str:
    return str(render_narrative(text, **kwargs).html)


def test_paragraphs_are_split_on_blank_lines_and_lines_kept():
    assert html("First line\nsecond line\n\nAnother paragraph") == (
        '<p class="govuk-body">First line<br>\nsecond line</p>\n'
        '<p class="govuk-body">Another paragraph</p>'
    )


def test_a_list_straight_after_a_line_of_text_is_still_a_list():
    out = html("The team is made up of:\n- a coordinator\n- **two** officers")
    assert '<p class="govuk-body">The team is made up of:</p>' in out
    assert '<ul class="govuk-list govuk-list--bullet">' in out
    assert "<li><strong>two</strong> officers</li>" in out


def test_numbered_lists_tables_and_the_call_out_box():
    out = html("1. one\n2. two\n\n| Term | Sessions |\n|:--|--:|\n| Spring | 4 |\n\n> Case study")
    assert '<ol class="govuk-list govuk-list--number">' in out and "<li>two</li>" in out
    assert '<th class="govuk-table__header" scope="col">Sessions</th>' in out
    assert '<td class="govuk-table__cell">4</td>' in out
    assert '<aside class="report-callout" aria-label="Call-out">' in out
    assert "style=" not in out  # the alignment markdown-it adds is dropped (CSP)


def test_sub_headings_are_numbered_after_the_section_in_two_levels():
    part = render_narrative(
        "## Annual report\n\ntext\n\n### The team\n\n### The year\n\n## 1.9 Partners",
        number=1,
        anchor="introduction",
    )
    assert [(h.number, h.title, h.level, h.anchor) for h in part.headings] == [
        ("1.1", "Annual report", 1, "introduction-1"),
        ("1.1.1", "The team", 2, "introduction-1-1"),
        ("1.1.2", "The year", 2, "introduction-1-2"),
        ("1.2", "Partners", 1, "introduction-2"),  # a number typed in is replaced
    ]
    assert '<h3 id="introduction-1" class="govuk-heading-m report-subheading">1.1 Annual' in (
        part.html
    )
    assert '<h4 id="introduction-1-1" class="govuk-heading-s report-subheading">1.1.1 The' in (
        part.html
    )


def test_links_keep_their_address_and_unsafe_schemes_are_not_links():
    out = html("[Home Office](https://www.gov.uk/prevent) [x](javascript:alert(1))")
    assert (
        '<a href="https://www.gov.uk/prevent" class="govuk-link report-narrative-link" '
        'rel="noopener noreferrer">Home Office</a>'
    ) in out
    assert 'href="javascript' not in out


def test_script_style_and_raw_html_stay_inert():
    out = html(
        "**Note** <script>alert(1)</script>\n\n<style>body{display:none}</style>\n\n"
        '- <b onclick="x()">x</b>\n\n<img src=x onerror=alert(1)>\n\n![chart](http://evil/x.png)'
    )
    assert "<script" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<style" not in out and "&lt;style&gt;" in out
    assert "<b " not in out and "&lt;b onclick" in out
    assert "<img" not in out
    assert "<strong>Note</strong>" in out


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8")) | st.sampled_from(["<a onclick=x>", "[a](b)"])
)
def test_no_text_makes_a_tag_outside_the_allow_list(text):
    out = html(text + "\n\n<script>x</script><iframe>")
    assert "<script" not in out and "<iframe" not in out and "<style" not in out
    assert not re.search(r"<[^>]*\son\w+=", out)


def test_empty_text_gives_nothing():
    assert html("") == "" and html(None) == ""
    assert not render_narrative("  ")
