"""The audit log as hash-chained JSON Lines, for a separate store (docs/security.md §12).

`manage.py export_audit` writes one line per event, oldest first, then one manifest
line. Every line is a JSON object with `prev_hash` (the `hash` of the line before; for
the first line, the final hash of the previous incremental export, or 64 zeros) and
`hash`, the SHA-256 of `prev_hash` + "\\n" + the line's canonical JSON without `hash`
(keys sorted, no spaces). Changing, removing, reordering or inserting a line breaks
the chain from that line on; cutting the end off loses the manifest, which also counts
the events. `manage.py verify_audit_export FILE` recomputes all of it.

Incremental runs (no --since/--until) start after the high-water mark of the last run
(the highest event id written, in AuditExport or a --state file) and move it on, so a
scheduled run writes each event exactly once. Events younger than `settle_seconds` wait
for the next run: an id is taken when a row is inserted, but rows from a transaction
still open are not yet visible, and a mark past them would skip them for ever.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from prevent_portal.audit.models import AuditEvent, AuditExport
from prevent_portal.audit.services import audit_record

GENESIS = "0" * 64
FORMAT = "prevent-portal-audit/1"


def canonical(line: dict) -> str:
    return json.dumps(line, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def line_hash(prev_hash: str, line: dict) -> str:
    body = {key: value for key, value in line.items() if key != "hash"}
    return hashlib.sha256(f"{prev_hash}\n{canonical(body)}".encode()).hexdigest()


def chained(line: dict, prev_hash: str) -> tuple[str, str]:
    """(the JSON text of `line` with prev_hash and hash added, its hash)."""
    line = {**line, "prev_hash": prev_hash}
    line["hash"] = line_hash(prev_hash, line)
    return canonical(line), line["hash"]


def event_line(event: AuditEvent) -> dict:
    """Every field of the event, as plain JSON."""
    return {
        "type": "event",
        "id": event.pk,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "summary": event.summary,
        "changes": event.changes,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "path": event.path,
    }


@dataclass
class Mark:
    """Where the last incremental export stopped."""

    last_event_id: int = 0
    final_hash: str = GENESIS


def read_mark(state: Path | None) -> Mark:
    if state is not None:
        if not state.exists():
            return Mark()
        data = json.loads(state.read_text())
        return Mark(int(data["last_event_id"]), str(data["final_hash"]))
    last = AuditExport.objects.order_by("-last_event_id").first()
    return Mark(last.last_event_id, last.final_hash) if last else Mark()


def write_mark(state: Path | None, mark: Mark, *, count: int, output: str) -> None:
    if state is not None:
        temporary = state.with_name(state.name + ".tmp")
        temporary.write_text(
            json.dumps({"last_event_id": mark.last_event_id, "final_hash": mark.final_hash})
        )
        temporary.replace(state)  # atomic: a crash never leaves half a mark
        return
    AuditExport.objects.create(
        last_event_id=mark.last_event_id,
        event_count=count,
        final_hash=mark.final_hash,
        output=output[:300],
    )


@dataclass
class ExportResult:
    count: int
    first_event_id: int | None
    last_event_id: int | None
    final_hash: str


@transaction.atomic
def export_audit(
    write,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    state: Path | None = None,
    settle_seconds: int = 60,
    output: str = "stdout",
) -> ExportResult:
    """Write events (and the manifest) through `write(text)`, one line per call.

    With `since` or `until`: the events in that range (occurred_at, since inclusive,
    until exclusive); the mark does not move. Without: the events after the mark, and
    the mark moves to the last one written. The export is itself audited.
    """
    incremental = since is None and until is None
    events = AuditEvent.objects.order_by("id")
    mark = Mark()
    if incremental:
        mark = read_mark(state)
        events = events.filter(id__gt=mark.last_event_id)
        if settle_seconds:
            events = events.filter(
                occurred_at__lte=timezone.now() - timedelta(seconds=settle_seconds)
            )
    else:
        if since is not None:
            events = events.filter(occurred_at__gte=since)
        if until is not None:
            events = events.filter(occurred_at__lt=until)
    prev_hash = mark.final_hash
    count, first_id, last_id = 0, None, None
    for event in events.iterator(chunk_size=2000):
        text, prev_hash = chained(event_line(event), prev_hash)
        write(text + "\n")
        count += 1
        first_id = event.pk if first_id is None else first_id
        last_id = event.pk
    manifest = {
        "type": "manifest",
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "event_count": count,
        "first_event_id": first_id,
        "last_event_id": last_id,
        "mode": "incremental" if incremental else "range",
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "chain_starts_from": mark.final_hash,
    }
    text, final_hash = chained(manifest, prev_hash)
    write(text + "\n")
    if incremental and last_id is not None:
        write_mark(state, Mark(last_id, final_hash), count=count, output=output)
    audit_record(
        actor=None,
        actor_username="system",
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Exported {count} audit events for a separate store",
        target=("audit.auditevent", "export"),
        changes={
            "mode": manifest["mode"],
            "first_event_id": first_id,
            "last_event_id": last_id,
            "final_hash": final_hash,
            "output": output[:200],
        },
    )
    return ExportResult(count, first_id, last_id, final_hash)


@dataclass
class Verification:
    ok: bool
    message: str
    event_count: int = 0
    broken_line: int | None = None
    final_hash: str = ""


def verify_lines(lines, *, previous: str | None = None) -> Verification:
    """Recompute the chain over `lines` (text, newline optional). Stops at the first
    line that does not fit and names it (1-based)."""
    prev_hash = None
    events = 0
    manifest = None
    number = 0
    for number, raw in enumerate(lines, start=1):
        if manifest is not None:
            return Verification(False, f"line {number}: text after the manifest", events, number)
        try:
            line = json.loads(raw)
        except ValueError:
            return Verification(False, f"line {number}: not valid JSON", events, number)
        if not isinstance(line, dict) or "hash" not in line or "prev_hash" not in line:
            return Verification(False, f"line {number}: no hash chain fields", events, number)
        if prev_hash is None:
            prev_hash = line["prev_hash"]
            if previous is not None and prev_hash != previous:
                return Verification(
                    False,
                    f"line {number}: the chain does not continue from {previous}",
                    events,
                    number,
                )
        if line["prev_hash"] != prev_hash:
            return Verification(
                False, f"line {number}: does not follow the line before", events, number
            )
        if line_hash(prev_hash, line) != line["hash"]:
            return Verification(False, f"line {number}: its content was changed", events, number)
        prev_hash = line["hash"]
        if line.get("type") == "manifest":
            manifest = line
        elif line.get("type") == "event":
            events += 1
        else:
            return Verification(False, f"line {number}: unknown line type", events, number)
    if manifest is None:
        return Verification(
            False, "no manifest line: the file is incomplete", events, number + 1 if number else 1
        )
    if manifest.get("event_count") != events:
        return Verification(
            False,
            f"line {number}: the manifest counts {manifest.get('event_count')} events, "
            f"the file holds {events}",
            events,
            number,
        )
    return Verification(True, f"{events} events, chain intact", events, None, prev_hash)
