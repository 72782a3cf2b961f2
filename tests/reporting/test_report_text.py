"""The annual report's narrative: escaped first, then paragraphs, lists and bold."""

from reporting.templatetags.report_text import narrative


def test_paragraphs_are_split_on_blank_lines_and_lines_kept():
    html = narrative("First line\nsecond line\n\nAnother paragraph")
    assert html == (
        '<p class="govuk-body">First line<br>second line</p>\n'
        '<p class="govuk-body">Another paragraph</p>'
    )


def test_a_list_straight_after_a_line_of_text_is_still_a_list():
    html = narrative("The team is made up of:\n- a coordinator\n- two officers\nThat is all.")
    assert html == (
        '<p class="govuk-body">The team is made up of:</p>\n'
        '<ul class="govuk-list govuk-list--bullet"><li>a coordinator</li>'
        "<li>two officers</li></ul>\n"
        '<p class="govuk-body">That is all.</p>'
    )


def test_html_is_shown_as_text_and_bold_is_kept():
    html = narrative("**Note** <script>alert(1)</script>\n- <b>x</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>Note</strong>" in html
    assert "<li>&lt;b&gt;x&lt;/b&gt;</li>" in html


def test_empty_text_gives_nothing():
    assert narrative("") == "" and narrative(None) == ""
