"""The annual report's narrative: Markdown written by staff, rendered to safe HTML.

One function, `render_narrative`, serves the HTML preview and the PDF alike (they share
templates/reporting/annual/document.html), so a section looks the same in both.

- markdown-it-py parses the text with raw HTML **off**: `<script>` typed in a section is
  text, not a tag. Images are off too (a section never makes the PDF fetch anything).
- Sub-headings: `##` (or `#`) is the first level, numbered after the section ("1.1",
  "1.2"); `###` and below are the second level ("1.1.1"). Each has an id, so that the
  contents links to it (with its page number in the PDF) and the PDF bookmarks it.
- A quotation block (lines starting with "> ") is the call-out box.
- The HTML is then cleaned by nh3 on an allow-list of tags and attributes (never our own
  parsing): whatever got through the parser would still be dropped, and the `style`
  attributes that markdown-it puts on aligned table cells go (the CSP forbids them).
"""

import re
from dataclasses import dataclass, field

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "aside",
    "code",
    "pre",
    "hr",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class"},
    "a": {"href"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"scope"},
    "ol": {"start"},
    "aside": {"aria-label"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# GOV.UK classes for what Markdown makes (the PDF's stylesheet styles the same classes).
CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "table_open": "govuk-table report-table report-narrative-table",
    "thead_open": "govuk-table__head",
    "tbody_open": "govuk-table__body",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
}
LINK_CLASS = "govuk-link report-narrative-link"
HEADING_CLASSES = {1: "govuk-heading-m report-subheading", 2: "govuk-heading-s report-subheading"}


def _parser() -> MarkdownIt:
    # "breaks": a single new line stays a new line, as in the plain text of old editions.
    return (
        MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
        .enable("table")
        .disable(["image", "html_block", "html_inline"])
    )


_MARKDOWN = _parser()


@dataclass(frozen=True)
class Heading:
    anchor: str
    number: str
    title: str
    level: int  # 1 ("1.1") or 2 ("1.1.1")


@dataclass
class Narrative:
    html: SafeString
    headings: list[Heading] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.html)


def _plain(inline: Token) -> str:
    return "".join(
        child.content for child in inline.children or [] if child.type in ("text", "code_inline")
    ).strip()


_TYPED_NUMBER = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")


def _drop_typed_number(inline: Token) -> None:
    """ "## 1.1 Annual report" typed from an old report: the number is ours to give."""
    children = inline.children or []
    if children and children[0].type == "text":
        children[0].content = _TYPED_NUMBER.sub("", children[0].content, count=1)


def render_narrative(text: str | None, *, number: int | None = None, anchor: str = "") -> Narrative:
    """The section's Markdown as safe HTML and its sub-headings. `number` is the section's
    number (sub-headings are numbered after it) and `anchor` its id (sub-headings' ids
    start with it)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return Narrative(html=mark_safe(""))  # noqa: S308 - empty
    tokens = _MARKDOWN.parse(text)
    headings: list[Heading] = []
    counts = [0, 0]
    for index, token in enumerate(tokens):
        if token.type in CLASSES:
            token.attrSet("class", CLASSES[token.type])
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("class", LINK_CLASS)
        if token.type == "th_open":
            token.attrSet("scope", "col")
        if token.type in ("th_open", "td_open"):
            token.attrs.pop("style", None)
        if token.type == "blockquote_open":
            token.tag = "aside"
            token.attrSet("class", "report-callout")
            token.attrSet("aria-label", "Call-out")
        if token.type == "blockquote_close":
            token.tag = "aside"
        if token.type in ("heading_open", "heading_close"):
            level = 1 if token.tag in ("h1", "h2") else 2
            token.tag = f"h{level + 2}"
            if token.type == "heading_open":
                counts[level - 1] += 1
                if level == 1:
                    counts[1] = 0
                parts = [counts[0], counts[1]][:level]
                label = ".".join(str(part) for part in parts)
                number_text = f"{number}.{label}" if number is not None else label
                slug = f"{anchor or 'section'}-{label.replace('.', '-')}"
                token.attrSet("id", slug)
                token.attrSet("class", HEADING_CLASSES[level])
                inline = tokens[index + 1]
                _drop_typed_number(inline)
                headings.append(Heading(slug, number_text, _plain(inline), level))
                prefix = Token("text", "", 0, content=f"{number_text} ")
                inline.children = [prefix, *(inline.children or [])]
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Narrative(html=mark_safe(clean.strip()), headings=headings)  # noqa: S308 - nh3
