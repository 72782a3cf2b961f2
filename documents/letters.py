"""Letters from templates: the placeholders, checking a template, filling it in, and
making the DOCX (python-docx) and the PDF (WeasyPrint through prevent_portal.ui.pdf).

A template is plain text. Its only markup is the placeholder, `{{ name }}`, with a name
from PLACEHOLDERS: no template tags, no filters, no attributes (`{{ person.address }}` is
an unknown placeholder, `{% load %}` is refused). Filling in is one pass of
substitution: a value is never read again as a placeholder. Values are plain text;
the HTML of the PDF escapes them (Django's autoescaping) and python-docx writes them as
text, so a name such as "<b>" is printed as typed.
"""

import io
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
# Anything that looks like template syntax once the placeholders are taken out.
LEFTOVER_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


@dataclass(frozen=True)
class Placeholder:
    name: str
    label: str
    identifying: bool = False


PLACEHOLDERS: dict[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("person_name", "The person's full name", identifying=True),
        Placeholder("given_names", "The person's given names", identifying=True),
        Placeholder("family_name", "The person's family name", identifying=True),
        Placeholder("date_of_birth", "The person's date of birth", identifying=True),
        Placeholder("address", "The person's address", identifying=True),
        Placeholder("case_reference", "The case reference, for example PR-2026-0012"),
        Placeholder("case_manager", "The case manager's name"),
        Placeholder("panel_date", "The date of the case's next Channel panel, or its last"),
        Placeholder("today", "Today's date"),
        Placeholder("sender_name", "Your name (whoever makes the letter)"),
        Placeholder("partnership", "The partnership's name"),
    )
}
NOT_SET = "[not known]"


def placeholders_in(body: str) -> list[str]:
    """The names of the placeholders used, in order of first use (as written, stripped)."""
    seen = []
    for match in PLACEHOLDER.finditer(body or ""):
        name = match.group(1).strip()
        if name not in seen:
            seen.append(name)
    return seen


def template_errors(body: str) -> list[str]:
    """What is wrong with a template's body, as messages for the form; [] if nothing."""
    errors = []
    unknown = [name for name in placeholders_in(body) if name not in PLACEHOLDERS]
    for name in unknown:
        shown = name if len(name) <= 40 else name[:40] + "…"
        errors.append(
            f"“{{{{ {shown} }}}}” is not a placeholder: use one of the names in the table "
            "of placeholders"
        )
    if LEFTOVER_SYNTAX.search(PLACEHOLDER.sub("", body or "")):
        errors.append(
            "Letters may hold placeholders only, written {{ name }}: remove any other "
            "{{, }}, {% or %}"
        )
    return errors


def uses_identities(body: str) -> bool:
    return any(
        PLACEHOLDERS[name].identifying for name in placeholders_in(body) if name in PLACEHOLDERS
    )


def fill(body: str, values: dict[str, str]) -> str:
    """The body with each known placeholder replaced by its value (one pass)."""

    def value(match):
        name = match.group(1).strip()
        return values.get(name, match.group(0)) or NOT_SET

    return PLACEHOLDER.sub(value, body or "")


def _date(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def letter_values(*, referral, user, show_identities: bool, panel_date, partnership: str):
    """The value of every placeholder for one case; identities only with the grant
    (without it they are not filled in at all, and the letter cannot be made)."""
    person = referral.person
    manager = referral.case_manager
    values = {
        "case_reference": referral.reference,
        "case_manager": (manager.get_full_name() or manager.get_username()) if manager else "",
        "panel_date": _date(panel_date),
        "today": _date(timezone.localdate()),
        "sender_name": user.get_full_name() or user.get_username(),
        "partnership": partnership,
    }
    if show_identities:
        values |= {
            "person_name": person.full_name,
            "given_names": person.given_names,
            "family_name": person.family_name,
            "date_of_birth": _date(person.date_of_birth),
            "address": person.address,
        }
    return values


def paragraphs(text: str) -> list[list[str]]:
    """Paragraphs (split at blank lines), each a list of its lines."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [block.split("\n") for block in blocks if block.strip()]


# Characters XML 1.0 cannot hold (control characters other than tab and line ends): a
# Word document cannot carry them, so they are left out of it.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def letter_docx(*, title: str, body: str, partnership: str) -> bytes:
    """The letter as a Word document: the protective marking in the header, the body's
    paragraphs, line breaks kept."""
    title, body = _NOT_IN_XML.sub("", title), _NOT_IN_XML.sub("", body)
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = title
    document.core_properties.author = partnership
    header = document.sections[0].header.paragraphs[0]
    header.text = "OFFICIAL-SENSITIVE"
    header.runs[0].bold = True
    heading = document.add_paragraph()
    heading.add_run(partnership).bold = True
    for lines in paragraphs(body):
        paragraph = document.add_paragraph()
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            if number < len(lines) - 1:
                run.add_break()
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "OFFICIAL-SENSITIVE"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_pdf(*, title: str, body: str, partnership: str) -> bytes:
    from prevent_portal.ui.pdf import render_pdf

    return render_pdf(
        "documents/letter_pdf.html",
        {"title": title, "paragraphs": paragraphs(body), "partnership": partnership},
    )
