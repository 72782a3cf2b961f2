"""Side-by-side differences between two versions of a section's text (difflib), for the
conflict page and a section's history. Plain data: the template marks the changes."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "changed", "removed" (left only) or "added" (right only)
    left: str | None
    right: str | None
    left_number: int | None
    right_number: int | None


def side_by_side(old: str, new: str) -> list[DiffRow]:
    """The lines of `old` and `new` paired up: unchanged lines once on each side, a
    changed run line against line, and lines only on one side against a gap."""
    left = (old or "").replace("\r\n", "\n").split("\n")
    right = (new or "").replace("\r\n", "\n").split("\n")
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                DiffRow("same", left[i], right[j], i + 1, j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        for offset in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + offset, j1 + offset
            has_left, has_right = i < i2, j < j2
            kind = "changed" if has_left and has_right else ("removed" if has_left else "added")
            rows.append(
                DiffRow(
                    kind,
                    left[i] if has_left else None,
                    right[j] if has_right else None,
                    i + 1 if has_left else None,
                    j + 1 if has_right else None,
                )
            )
    return rows


def has_differences(rows: list[DiffRow]) -> bool:
    return any(row.kind != "same" for row in rows)
