"""Plain words for counts, lists, changes and record types (docs/frontend.md)."""

import pytest
from django.urls import reverse

from prevent_portal.audit.labels import record_type_choices, record_type_label
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.words import change, counted, named_list


def test_a_count_takes_the_singular_or_the_plural():
    assert counted(1, "evaluation") == "1 evaluation"
    assert counted(0, "evaluation") == "0 evaluations"
    assert counted(3, "entry", "entries") == "3 entries"
    assert counted(1, "new person", "new people") == "1 new person"
    assert counted(12_345, "row") == "12,345 rows"


def test_a_list_of_names_reads_as_words():
    assert named_list(["date"], "column") == "column: date"
    assert named_list(["date", "title"], "column") == "columns: date, title"


def test_a_change_is_signed_and_zero_is_no_change():
    assert change(3) == "+3"
    assert change(-2) == "-2"
    assert change(0) == "No change"
    assert change(1500) == "+1,500"


def test_record_types_are_words_never_dotted_labels():
    assert record_type_label("accounts.user") == "User"
    assert record_type_label("channel.panelattendee") == "Panel attendee"
    assert record_type_label("disclosures.log") == "Disclosure log"
    assert record_type_label("somewhere.new_kind") == "New kind"
    assert record_type_label("") == ""
    choices = dict(record_type_choices())
    assert choices["accounts.user"] == "User"
    assert all("." not in words for words in choices.values())
    assert len(set(choices.values())) == len(choices)  # two apps' names told apart
    assert "auth.group" not in choices  # only the portal's own models


@pytest.mark.django_db
def test_the_audit_log_names_and_filters_record_types_in_words(client_as, persona):
    board = persona("board")
    audit_record(actor=None, verb="record.update", summary="Changed a user", target=board)
    client = client_as("admin")
    page = client.get(reverse("audit:event-list")).content.decode()
    assert f"(User, record {board.pk})" in page
    assert "accounts.user" not in page.split('<select name="target_type"', 1)[0]
    assert '<option value="accounts.user">User</option>' in page
    filtered = client.get(reverse("audit:event-list"), {"target_type": "accounts.user"})
    assert "Changed a user" in filtered.content.decode()
    refused = client.get(reverse("audit:event-list"), {"target_type": "nothing.such"})
    assert "Select a valid choice" in refused.content.decode()
