"""Every PDF of the portal is PDF/UA-1 as far as `pdfua` can check (docs/accessibility.md).

`tests/pdf_checks.py` checks each PDF that any test makes; these tests show that all PDFs go
through the one writer it watches, and that the check does fail on a PDF that is not
accessible."""

import ast
import io
from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML

from prevent_portal.ui.pdf import write_pdf
from tests.checkers import pdf_ua_findings
from tests.pdf_checks import PdfUaFailure

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "prevent_portal" / "ui" / "pdf.py"
TABLE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Sessions by course</title></head><body><h1>Sessions by course</h1>
<table><caption>Training delivered</caption>
<thead><tr><th scope="col">Course</th><th scope="col">Sessions</th></tr></thead>
<tbody><tr><th scope="row">Prevent Awareness</th><td>12</td></tr>
<tr><th scope="row">Total</th><td>12</td></tr></tbody></table></body></html>"""


def _source_files():
    skip = {".venv", "node_modules", "tests", "static", "staticfiles"}
    for path in ROOT.rglob("*.py"):
        if not skip.intersection(path.relative_to(ROOT).parts):
            yield path


def test_every_pdf_is_written_by_the_one_writer():
    """No module but the writer calls WeasyPrint's write_pdf, so every PDF is PDF/UA-1
    and is checked by the plugin (bench/ measures WeasyPrint itself, on purpose)."""
    callers = []
    for path in _source_files():
        if path == WRITER or path.parts[len(ROOT.parts)] == "bench":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and node.attr == "write_pdf":
                callers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert callers == []


def test_a_table_gets_scopes_language_title_and_the_pdf_ua_claim():
    pdf = write_pdf(TABLE)
    assert pdf_ua_findings(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == "en-GB"
        with document.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title") == "Sessions by course"
        scopes = []
        pending = [document.Root.StructTreeRoot]
        while pending:
            node = pending.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == pikepdf.Name.TH:
                    scopes.append(str(node.A.Scope))
                kids = node.get("/K")
                pending.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    assert sorted(scopes) == ["/Column", "/Column", "/Row", "/Row"]


def test_the_check_finds_an_untagged_pdf():
    untagged = HTML(string=TABLE).write_pdf()
    findings = pdf_ua_findings(untagged)
    assert findings, "an untagged PDF must fail the PDF/UA checks"
    assert any("UA-" in line for line in findings)


def test_the_plugin_fails_a_test_that_makes_an_inaccessible_pdf(monkeypatch):
    import tests.pdf_checks as plugin

    monkeypatch.setattr(plugin, "_ORIGINAL", lambda html: HTML(string=html).write_pdf())
    with pytest.raises(PdfUaFailure, match="UA-"):
        plugin._checked_write_pdf(TABLE.replace("Sessions by course", "Another title"))
