"""The audit log exported as hash-chained JSON Lines for a separate store (docs/security.md §12)."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from prevent_portal.audit.exporting import GENESIS, line_hash
from prevent_portal.audit.models import AuditEvent, AuditExport
from prevent_portal.audit.services import audit_record

pytestmark = pytest.mark.django_db


def add_events(count: int, *, start: int = 0):
    return [
        audit_record(
            actor=None,
            actor_username=f"user{start + number}",
            verb=AuditEvent.Verb.VIEW,
            summary=f"Looked at record {start + number}",
            target=("referrals.referral", f"id-{start + number}"),
            changes={"field": {"old": "=1+1", "new": "naïve ünïcode"}},
        )
        for number in range(count)
    ]


def export(*args) -> list[dict]:
    out = io.StringIO()
    call_command("export_audit", "--settle-seconds=0", *args, stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def verify(path, *args) -> str:
    out = io.StringIO()
    call_command("verify_audit_export", str(path), *args, stdout=out)
    return out.getvalue()


def event_ids(lines):
    return [line["id"] for line in lines if line["type"] == "event"]


def test_every_field_of_every_event_is_written_in_a_chain_ending_with_a_manifest():
    events = add_events(3)
    lines = export()
    assert [line["type"] for line in lines] == ["event"] * 3 + ["manifest"]
    first = lines[0]
    assert first["id"] == events[0].pk
    assert first["actor_username"] == "user0"
    assert first["verb"] == "record.view"
    assert first["target_type"] == "referrals.referral" and first["target_id"] == "id-0"
    assert first["changes"] == {"field": {"old": "=1+1", "new": "naïve ünïcode"}}
    assert first["occurred_at"] == events[0].occurred_at.isoformat()
    assert {"ip_address", "user_agent", "path", "actor_id", "summary"} <= set(first)
    assert first["prev_hash"] == GENESIS
    for before, line in zip(lines, lines[1:], strict=False):
        assert line["prev_hash"] == before["hash"]
    for index, line in enumerate(lines):
        previous = GENESIS if index == 0 else lines[index - 1]["hash"]
        assert line["hash"] == line_hash(previous, line)
    assert lines[-1]["event_count"] == 3
    assert lines[-1]["last_event_id"] == events[-1].pk


def test_round_trip_through_a_file_verifies(tmp_path):
    add_events(5)
    path = tmp_path / "audit.jsonl"
    call_command("export_audit", "--settle-seconds=0", f"--output={path}", stderr=io.StringIO())
    assert "OK: 5 events, chain intact" in verify(path)
    assert not (tmp_path / "audit.jsonl.partial").exists()


@pytest.mark.parametrize(
    "tamper",
    ["change", "remove", "swap", "insert", "truncate", "recount"],
)
def test_tampering_is_detected_at_the_first_broken_line(tmp_path, tamper):
    add_events(5)
    path = tmp_path / "audit.jsonl"
    call_command("export_audit", "--settle-seconds=0", f"--output={path}", stderr=io.StringIO())
    lines = path.read_text().splitlines()
    broken_at = 3
    if tamper == "change":
        line = json.loads(lines[2])
        line["summary"] = "Nothing to see"
        lines[2] = json.dumps(line)
    elif tamper == "remove":
        del lines[2]
    elif tamper == "swap":
        lines[2], lines[3] = lines[3], lines[2]
    elif tamper == "insert":
        lines.insert(2, lines[1])
    elif tamper == "truncate":
        lines = lines[:-1]
        broken_at = None
    elif tamper == "recount":
        # A rewritten manifest with its own hash recomputed still cannot hide a removal.
        del lines[1]
        rebuilt = [json.loads(text) for text in lines]
        previous = GENESIS
        for line in rebuilt:
            line["prev_hash"] = previous
            line["hash"] = line_hash(previous, line)
            previous = line["hash"]
        lines = [json.dumps(line) for line in rebuilt]
        broken_at = len(lines)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match="Broken") as failure:
        verify(path)
    if broken_at is not None:
        assert f"line {broken_at}:" in str(failure.value)
    else:
        assert "no manifest" in str(failure.value)


def test_incremental_runs_start_after_the_high_water_mark_without_duplicates():
    first_batch = add_events(3)
    first = export()
    assert event_ids(first) == [event.pk for event in first_batch]
    mark = AuditExport.objects.get()
    assert mark.last_event_id == first_batch[-1].pk
    assert mark.final_hash == first[-1]["hash"]
    # The export itself is audited: that event comes in the next run, once.
    own = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    second_batch = add_events(2, start=10)
    second = export()
    assert event_ids(second) == [own.pk] + [event.pk for event in second_batch]
    # The chain carries on from the previous file's final hash.
    assert second[0]["prev_hash"] == first[-1]["hash"]
    assert second[-1]["chain_starts_from"] == first[-1]["hash"]
    # Nothing new but the audit of the last run: nothing written twice.
    third = export()
    assert len(event_ids(third)) == 1
    all_ids = event_ids(first) + event_ids(second) + event_ids(third)
    assert len(all_ids) == len(set(all_ids))


def test_the_continuity_between_two_files_can_be_checked(tmp_path):
    add_events(2)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    call_command("export_audit", "--settle-seconds=0", f"--output={one}", stderr=io.StringIO())
    add_events(2, start=5)
    call_command("export_audit", "--settle-seconds=0", f"--output={two}", stderr=io.StringIO())
    final_of_one = json.loads(one.read_text().splitlines()[-1])["hash"]
    assert "OK" in verify(two, f"--previous={final_of_one}")
    with pytest.raises(CommandError, match="does not continue"):
        verify(two, f"--previous={GENESIS}")


def test_a_state_file_can_keep_the_mark_instead_of_the_database(tmp_path):
    state = tmp_path / "state.json"
    add_events(2)
    assert len(event_ids(export(f"--state={state}"))) == 2
    assert (
        json.loads(state.read_text())["last_event_id"]
        == AuditEvent.objects.order_by("id").values_list("id", flat=True)[1]
    )
    assert not AuditExport.objects.exists()
    assert len(event_ids(export(f"--state={state}"))) == 1  # the audit of the first run


def test_a_range_export_does_not_move_the_mark():
    add_events(2)
    today = timezone.localdate()
    lines = export(f"--since={today.isoformat()}", f"--until={today + timedelta(days=1)}")
    assert len(event_ids(lines)) == 2
    assert lines[-1]["mode"] == "range"
    assert not AuditExport.objects.exists()
    assert export(f"--until={today.isoformat()}")[-1]["event_count"] == 0


def test_recent_events_wait_for_the_next_run_so_none_is_skipped():
    add_events(2)
    out = io.StringIO()
    call_command("export_audit", stdout=out, stderr=io.StringIO())  # 60 s settle
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[-1]["event_count"] == 0
    assert not AuditExport.objects.exists()


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        export("--since=yesterday")
    with pytest.raises(CommandError, match="before"):
        export("--since=2026-02-01", "--until=2026-01-01")
