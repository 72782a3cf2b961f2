"""Every PDF that any test makes is checked with `pdfua` (docs/accessibility.md).

Every PDF of the portal is written by `prevent_portal.ui.pdf.write_pdf`
(`tests/ui/test_pdf_ua.py::test_every_pdf_is_written_by_the_one_writer`). This plugin wraps
that function, wherever it has been imported, for the length of each test: a PDF with a
PDF/UA finding fails the test that made it, naming the findings. The same bytes are
checked once per run.
"""

import hashlib
import sys

import pytest

from prevent_portal.ui import pdf as pdf_module
from tests.checkers import pdf_ua_findings

_ORIGINAL = pdf_module.write_pdf
_checked: set[str] = set()


class PdfUaFailure(AssertionError):
    pass


def _checked_write_pdf(html: str) -> bytes:
    pdf = _ORIGINAL(html)
    digest = hashlib.sha256(pdf).hexdigest()
    if digest not in _checked:
        findings = pdf_ua_findings(pdf)
        if findings:
            raise PdfUaFailure("The PDF fails the PDF/UA checks:\n" + "\n".join(findings[:20]))
        _checked.add(digest)
    return pdf


@pytest.fixture(autouse=True)
def _every_pdf_passes_pdf_ua(monkeypatch):
    for module in list(sys.modules.values()):
        # The module's own namespace: no module-level __getattr__ is set off.
        if getattr(module, "__dict__", {}).get("write_pdf") is _ORIGINAL:
            monkeypatch.setattr(module, "write_pdf", _checked_write_pdf)
