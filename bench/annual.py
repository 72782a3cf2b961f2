"""The annual report benchmark: one year of data, in a process of its own.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.annual --year 2025

Prints one JSON line: the seconds and SQL queries to compute every figure, the seconds to
render the HTML, the seconds for the whole PDF, the seconds WeasyPrint takes on the same
saved HTML alone with the product's options (a tagged PDF: the floor for the PDF; untagged
too, for reference), and the process's peak memory. Its own process,
so that the peak is that of one report and not of the benchmark run.
"""

import argparse
import json
import os
import resource
import time
from datetime import date


def measure(year: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from weasyprint import HTML

    from prevent_portal.ui.pdf import BASE_URL, StaticFilesOnlyFetcher
    from reporting.annual import annual_figures
    from reporting.documents import PlaceholderEdition, annual_report_html, annual_report_pdf

    start, end = date(year, 1, 1), date(year, 12, 31)
    edition = PlaceholderEdition(starts_on=start, ends_on=end)
    annual_figures(start, end)  # the first call loads the code and fills the caches
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        figures = annual_figures(start, end)
        figures_s = time.perf_counter() - started
    started = time.perf_counter()
    html = annual_report_html(edition, figures)
    html_s = time.perf_counter() - started
    started = time.perf_counter()
    pdf = annual_report_pdf(edition, figures)
    pdf_s = time.perf_counter() - started
    # The floor: WeasyPrint alone on the same HTML with the same options as the product
    # (PDF/UA-1, for assistive technology), without the header scopes added afterwards.
    # Untagged too, for reference.
    started = time.perf_counter()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher())
    document.write_pdf(pdf_variant="pdf/ua-1")
    weasyprint_s = time.perf_counter() - started
    started = time.perf_counter()
    HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher()).write_pdf()
    untagged_s = time.perf_counter() - started
    return {
        "year": year,
        "figures_s": figures_s,
        "figures_queries": len(queries.captured_queries),
        "figures_sql_s": sum(float(q["time"]) for q in queries.captured_queries),
        "html_s": html_s,
        "html_bytes": len(html),
        "pdf_s": pdf_s,
        "pdf_bytes": len(pdf),
        "weasyprint_s": weasyprint_s,
        "weasyprint_untagged_s": untagged_s,
        # ru_maxrss is in kilobytes on Linux.
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="The annual report benchmark.")
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args(argv)
    # Always the benchmark database, whatever the environment says.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    print("ANNUAL " + json.dumps(measure(args.year)), flush=True)


if __name__ == "__main__":
    main()
