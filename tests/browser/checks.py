"""Checks run on every page a journey passes: the axe-core scan (WCAG 2.0/2.1/2.2 A and
AA), tables with a caption and header cells, charts with a table of the same figures,
and an error summary whose links lead to fields."""

# Every <table>: a non-empty caption (visually hidden ones count) and at least one <th>.
TABLES_JS = """() => [...document.querySelectorAll('main table')].map((t, i) => ({
  index: i,
  caption: t.caption ? t.caption.textContent.trim() : '',
  headers: t.querySelectorAll('th').length,
}))"""

# Every chart (an SVG with role="img", or a report figure's SVG) must be followed by a
# table in the page, which holds the same figures for people who cannot see the chart.
CHARTS_JS = """() => {
  const charts = [...document.querySelectorAll('main svg[role="img"], main figure svg')];
  const tables = [...document.querySelectorAll('main table')];
  return charts.map(chart => ({
    label: chart.getAttribute('aria-label') || chart.textContent.trim().slice(0, 60),
    tableAfter: tables.some(t =>
      chart.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING),
  }));
}"""

# Each link of an error summary names an element that exists in the page.
SUMMARY_LINKS_JS = """() => [...document.querySelectorAll('.govuk-error-summary a')].map(a => {
  const href = a.getAttribute('href') || '';
  let target = null;
  try { target = href.length > 1 ? document.querySelector(href) : null; } catch (e) {}
  return {text: a.textContent.trim(), href, found: target !== null};
})"""


def table_problems(page) -> list[dict]:
    return [t for t in page.evaluate(TABLES_JS) if not t["caption"] or not t["headers"]]


def chart_problems(page) -> list[dict]:
    return [c for c in page.evaluate(CHARTS_JS) if not c["tableAfter"]]


def broken_summary_links(page) -> list[dict]:
    return [link for link in page.evaluate(SUMMARY_LINKS_JS) if not link["found"]]


def check_page(page, axe_violations, screenshot=None, name: str | None = None) -> None:
    """Every check on the page now shown; a screenshot under `name` if given."""
    page.wait_for_load_state("load")
    assert axe_violations() == [], page.url
    assert table_problems(page) == [], page.url
    assert chart_problems(page) == [], page.url
    assert broken_summary_links(page) == [], page.url
    if screenshot is not None and name:
        screenshot(name)


def check_error_state(page, axe_violations, screenshot=None, name=None, *, expect: str) -> None:
    """The page after a form was sent incomplete: the error summary with `expect`,
    "Error: " in the title, links that lead to the fields, and no violation."""
    summary = page.locator(".govuk-error-summary")
    assert expect in summary.inner_text()
    assert page.title().startswith("Error: "), page.title()
    check_page(page, axe_violations, screenshot, name)
