"""Outside checkers, so that "valid" and "accessible" are not our own opinion
(docs/accessibility.md): the W3C Nu HTML checker for pages, `pdfua` for PDFs.

- `pdf_ua_findings(pdf)`: every error and warning of the machine-checkable PDF/UA-1
  subset that `pdfua` checks. `tests/pdf_checks.py` runs it on every PDF any test makes.
- `html_errors(documents)`: the Nu checker's errors for a batch of HTML documents, run
  once for the whole batch (the JVM starts once). The jar comes from `make install-dev`
  (scripts/fetch_vnu.py) at `.venv/vnu.jar`, or from `VNU_JAR`.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pdfua import Severity, validate

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".venv" / "vnu.jar"))


def pdf_ua_findings(pdf: bytes) -> list[str]:
    """`pdfua`'s errors and warnings for the PDF, one line each; [] when it passes.
    Rules the checker could not evaluate are not findings (see docs/accessibility.md)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        report = validate(handle.name)
    return [
        f"{finding.rule_id} {finding.severity.name}: {finding.message}"
        for finding in report.findings
        if finding.severity in (Severity.ERROR, Severity.WARNING)
    ]


def nu_checker_missing() -> str | None:
    """Why the Nu checker cannot run here, or None."""
    if not VNU_JAR.is_file():
        return f"no Nu HTML checker at {VNU_JAR} (run `make install-dev`)"
    if shutil.which("java") is None:
        return "no Java to run the Nu HTML checker (apt-get install default-jre-headless)"
    return None


def html_errors(documents: dict[str, str | bytes]) -> dict[str, list[str]]:
    """The Nu checker's errors (not warnings) for each named document; a name is left
    out when its document has none."""
    if not documents:
        return {}
    missing = nu_checker_missing()
    if missing:
        raise RuntimeError(missing)
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{index:05d}.html"
            path.write_bytes(html.encode() if isinstance(html, str) else html)
            paths[path.name] = name
        result = subprocess.run(
            ["java", "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
            + [str(Path(folder) / f"{index:05d}.html") for index in range(len(documents))],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    # The checker writes its JSON report to standard error.
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") != "error":
            continue
        url = message.get("url", "?")
        name = paths.get(url.rsplit("/", 1)[-1], url)
        line = message.get("lastLine", "?")
        extract = " ".join((message.get("extract") or "").split())[:160]
        errors.setdefault(name, []).append(f"line {line}: {message['message']} [{extract}]")
    return errors
