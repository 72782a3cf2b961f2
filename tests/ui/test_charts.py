"""Every chart goes through `prevent_portal/ui/charts.py`, which keeps labels plain text.

A module that imported matplotlib itself could draw a label typed by a user as mathtext
(`$…$`), which fails the page or mangles the label. The helper turns mathtext off for
every text artist; this test makes sure no chart can go round it.
"""

import ast
from pathlib import Path

import matplotlib

from prevent_portal.ui import charts

BASE = Path(__file__).resolve().parent.parent.parent
HELPER = "prevent_portal/ui/charts.py"


def _imports_matplotlib(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "matplotlib" or name.startswith("matplotlib.") for name in names):
            return True
    return False


def _project_modules():
    """Every Python module of the project but the tests (and the virtualenv)."""
    tops = [p for p in BASE.iterdir() if not p.name.startswith(".") and p.name != "tests"]
    for top in sorted(tops):
        for path in sorted(top.rglob("*.py")) if top.is_dir() else [top]:
            if path.suffix == ".py":
                yield str(path.relative_to(BASE)), path


def test_only_the_chart_helper_imports_matplotlib():
    importers = {name for name, path in _project_modules() if _imports_matplotlib(path)}
    assert importers == {HELPER}


def test_the_check_finds_an_import(tmp_path):
    module = tmp_path / "chart.py"
    module.write_text("from matplotlib.figure import Figure\n")
    assert _imports_matplotlib(module)
    module.write_text("import matplotlib.pyplot as plt\n")
    assert _imports_matplotlib(module)
    module.write_text("from reporting.charts import chart_svg\n")
    assert not _imports_matplotlib(module)


def test_mathtext_and_tex_are_off():
    assert matplotlib.rcParams["text.parse_math"] is False
    assert matplotlib.rcParams["text.usetex"] is False


def test_a_text_artist_made_with_mathtext_on_is_written_as_plain_text():
    """Even an artist that asks for mathtext is set back to plain text before writing."""
    figure, axes = charts.new_figure(["a"], 2, bottom=0.5)
    axes.text(0.5, 0.5, "Awareness $\\notacommand$", parse_math=True)
    svg = charts.figure_svg(figure, "test", "A test chart")
    assert "Awareness $\\notacommand$</text>" in svg


def test_sanitise_rewrites_tags_and_never_the_text_between_them():
    svg = (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
        "<defs><style>*{stroke:red}</style></defs>"
        '<g id="a" style="fill: #fff; stroke: #000"><use xlink:href="#b"/>'
        '<text clip-path="url(#c)">id="x" style="fill: red" url(#y)</text></g></svg>'
    )
    clean = charts.sanitise(svg, "n")
    assert '<g id="chart-n-a" fill="#fff" stroke="#000">' in clean
    assert 'xlink:href="#chart-n-b"' in clean and 'clip-path="url(#chart-n-c)"' in clean
    assert '>id="x" style="fill: red" url(#y)</text>' in clean
    assert "<style" not in clean and "<?xml" not in clean


def test_the_svg_has_its_title_first_and_no_rdf_metadata():
    figure, axes = charts.new_figure(["a"], 2, bottom=0.5)
    svg = charts.figure_svg(figure, "test", "A test & chart")
    opening = svg.index(">") + 1
    assert svg[opening:].startswith("<title>A test &amp; chart</title>")
    assert "<metadata" not in svg and "rdf:" not in svg
