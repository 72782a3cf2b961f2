import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError, InternalError
from django.urls import reverse

from prevent_portal.audit.models import AppendOnlyError, AuditEvent
from prevent_portal.audit.services import audit_record, changes_between
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_is_audited_with_address_and_user_agent(client, persona):
    user = persona("coordinator")
    response = client.post(
        reverse("accounts:login"),
        {"username": "coordinator", "password": PASSWORD},
        HTTP_USER_AGENT="TestBrowser/1.0",
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.LOGIN)
    assert event.actor == user
    assert event.actor_username == "coordinator"
    assert event.ip_address == "192.0.2.10"
    assert event.user_agent == "TestBrowser/1.0"


def test_failed_sign_in_is_audited_without_the_password(client, persona):
    persona("coordinator")
    client.post(reverse("accounts:login"), {"username": "coordinator", "password": "wrong-pass"})
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.LOGIN_FAILED)
    assert event.actor is None
    assert event.actor_username == "coordinator"
    assert "wrong-pass" not in str(event.changes) + event.summary


def test_sign_out_is_audited(client_as):
    client = client_as("board")
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.LOGOUT, actor_username="board").exists()


def test_a_refusal_is_audited(client_as):
    client = client_as("board")
    response = client.get(reverse("audit:event-list"))
    assert response.status_code == 403
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.ACCESS_DENIED)
    assert event.actor_username == "board"
    assert reverse("audit:event-list") in event.summary


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(persona):
    event = audit_record(actor=persona("admin"), verb=AuditEvent.Verb.VIEW, summary="Looked")
    event.summary = "Rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Looked"


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete_in_raw_sql(persona):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    event = audit_record(actor=persona("admin"), verb=AuditEvent.Verb.VIEW, summary="Looked")
    for sql in (
        "UPDATE audit_auditevent SET summary = 'Rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, DatabaseError), match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "Looked"


def test_changes_keep_only_the_fact_of_a_change_for_sensitive_fields():
    changes = changes_between(
        {"status": "received", "surname": "Oldname"},
        {"status": "closed", "surname": "Newname"},
        sensitive=frozenset({"surname"}),
    )
    assert changes == {"status": {"old": "received", "new": "closed"}, "surname": {"changed": True}}
    assert "Oldname" not in str(changes) and "Newname" not in str(changes)


def test_the_audit_page_filters_by_who_and_what(client_as, persona):
    admin = persona("admin")
    audit_record(actor=persona("board"), verb=AuditEvent.Verb.VIEW, summary="Board looked")
    audit_record(actor=admin, verb=AuditEvent.Verb.UPDATE, summary="Admin changed")
    client = client_as("admin")
    response = client.get(reverse("audit:event-list"), {"who": "board"})
    assert response.status_code == 200
    assert b"Board looked" in response.content
    assert b"Admin changed" not in response.content
    response = client.get(reverse("audit:event-list"), {"verb": AuditEvent.Verb.UPDATE})
    assert b"Admin changed" in response.content
    assert b"Board looked" not in response.content


def test_the_audit_page_rejects_a_bad_date_with_a_clear_error(client_as):
    response = client_as("admin").get(reverse("audit:event-list"), {"date_from": "31/02/2026"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter a real date" in response.content


def test_the_audit_page_query_count_does_not_grow_with_events(
    client_as, persona, django_assert_max_num_queries
):
    client = client_as("admin")
    board = persona("board")
    for count in (5, 60):
        for i in range(count):
            audit_record(actor=board, verb=AuditEvent.Verb.VIEW, summary=f"view {i}")
        # session, user, roles, count, partnership name, page, session save + savepoints
        with django_assert_max_num_queries(11):
            assert client.get(reverse("audit:event-list")).status_code == 200


def test_the_export_neutralises_formulas_and_is_itself_audited(client_as, persona):
    audit_record(actor=persona("board"), verb=AuditEvent.Verb.VIEW, summary="=HYPERLINK(1)")
    response = client_as("admin").get(reverse("audit:event-export"))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in body
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT, actor_username="admin").exists()


def test_an_event_without_a_user_is_recorded_as_the_system():
    event = audit_record(actor=None, verb=AuditEvent.Verb.IMPORT, summary="Imported a file")
    assert event.actor is None
    assert event.actor_username == "system"


def test_changes_of_a_deletion_keep_the_old_values():
    assert changes_between({"title": "Old", "count": 3}, {}) == {
        "title": {"old": "Old", "new": None},
        "count": {"old": 3, "new": None},
    }
