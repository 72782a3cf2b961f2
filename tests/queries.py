"""Query budgets (docs/performance.md): one way to count a page's or a call's queries and
to compare two data sizes, printing the SQL that differs when a budget is broken.

    small = page_queries(client, url)
    ... add rows ...
    assert_same_queries(small, page_queries(client, url), at_most=20)
"""

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Literal values differ between two data sizes (ids, dates, IN lists); the shape does not.
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_IN_LISTS = re.compile(r"IN \((?:\?, )*\?\)")


@dataclass
class Queries:
    """The SQL run inside a `counted()` block (or by `page_queries`)."""

    sql: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sql)

    def __eq__(self, other) -> bool:  # compares as the number of queries
        return len(self) == (len(other) if isinstance(other, Queries) else other)

    def __le__(self, other) -> bool:
        return len(self) <= (len(other) if isinstance(other, Queries) else other)

    def __repr__(self) -> str:
        return f"{len(self)} queries"

    def shapes(self) -> list[str]:
        return [_IN_LISTS.sub("IN (…)", _LITERALS.sub("?", sql)) for sql in self.sql]


@contextmanager
def counted() -> Iterator[Queries]:
    """with counted() as queries: ... — the SQL run in the block, on the default database."""
    queries = Queries()
    with CaptureQueriesContext(connection) as context:
        yield queries
    queries.sql = [query["sql"] for query in context.captured_queries]


def page_queries(client, url, params=None, *, warm=True, status=200) -> Queries:
    """The queries of one GET of `url`. `warm` first opens it once, so that the session,
    the permission cache and the cached reference rows are loaded, as on any later view."""
    if warm:
        client.get(url, params)
    with counted() as queries:
        response = client.get(url, params)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return queries


def assert_same_queries(*runs: Queries, at_most: int | None = None) -> None:
    """The same number of queries at every data size (and no more than `at_most`); on
    failure, the SQL of the smallest and the largest run, compared shape by shape."""
    counts = [len(run) for run in runs]
    over = at_most is not None and max(counts) > at_most
    if len(set(counts)) == 1 and not over:
        return
    first, last = runs[0], max(runs, key=len)
    diff = "\n".join(
        difflib.unified_diff(first.shapes(), last.shapes(), "smallest", "largest", lineterm="")
    )
    budget = f" (budget {at_most})" if at_most is not None else ""
    pytest.fail(f"queries by data size: {counts}{budget}\n{diff or chr(10).join(last.sql)}")
