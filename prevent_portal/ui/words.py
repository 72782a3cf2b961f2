"""Plain words for counts and lists on pages, messages and audit summaries.

A page never says "3 evaluation(s)" (docs/frontend.md, "Plain words"): a count takes the
singular or the plural of its noun, and a list of names reads as a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """The noun for n things: "session" for 1, "sessions" otherwise."""
    if n == 1:
        return singular
    return plural_form if plural_form is not None else singular + "s"


def counted(n: int, singular: str, plural_form: str | None = None) -> str:
    """counted(3, "evaluation") -> "3 evaluations"; counted(1, "entry", "entries") -> "1 entry"."""
    return f"{n:,} {plural(n, singular, plural_form)}"


def named_list(names: Iterable[str], singular: str, plural_form: str | None = None) -> str:
    """named_list(["date", "title"], "column") -> "columns: date, title"."""
    names = list(names)
    return f"{plural(len(names), singular, plural_form)}: {', '.join(names)}"


def change(n: int) -> str:
    """A change on an earlier figure: "+3", "-2", and "No change" rather than "+0"."""
    return "No change" if n == 0 else f"{n:+,d}"
