"""The read replica router (prevent_portal/replica.py), with two database aliases."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import resolve

from prevent_portal.accounts.models import User
from prevent_portal.audit.models import AuditEvent
from prevent_portal.replica import (
    ReplicaRouter,
    ReportingReadsFromReplica,
    reads_from_replica,
)
from referrals.models import Referral
from training.models import TrainingSession

ROUTER = ["prevent_portal.replica.ReplicaRouter"]


def two_aliases():
    """The test database twice: "default" (the primary) and "replica" (its copy)."""
    replica = {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}
    replica["ATOMIC_REQUESTS"] = False
    return override_settings(
        DATABASES={**settings.DATABASES, "replica": replica}, DATABASE_ROUTERS=ROUTER
    )


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_reads_of_domain_data_go_to_the_replica_only_when_asked():
    with two_aliases():
        assert Referral.objects.all().db == "default"
        with reads_from_replica():
            assert Referral.objects.all().db == "replica"
            assert TrainingSession.objects.all().db == "replica"
        assert Referral.objects.all().db == "default"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_users_sessions_and_the_audit_log_stay_on_the_primary():
    with two_aliases(), reads_from_replica():
        assert User.objects.all().db == "default"
        assert AuditEvent.objects.all().db == "default"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_writes_always_go_to_the_primary():
    router = ReplicaRouter()
    with two_aliases(), reads_from_replica():
        assert router.db_for_write(Referral) == "default"


def test_without_a_replica_alias_everything_reads_from_the_primary():
    assert "replica" not in settings.DATABASES
    with override_settings(DATABASE_ROUTERS=ROUTER), reads_from_replica():
        assert Referral.objects.all().db == "default"


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "referrals") is False
    assert router.allow_migrate("default", "referrals") is True


def test_rows_of_either_alias_may_be_related():
    primary, copy = Referral(), Referral()
    primary._state.db, copy._state.db = "default", "replica"
    assert ReplicaRouter().allow_relation(primary, copy) is True


def _seen_by_view(method: str, path: str) -> str:
    """Run the middleware around a view that reports where a Referral read would go."""
    seen = {}

    def view(request):
        seen["db"] = Referral.objects.all().db
        return HttpResponse()

    request = getattr(RequestFactory(), method.lower())(path)
    request.resolver_match = resolve(path)
    middleware = ReportingReadsFromReplica(
        lambda req: middleware.process_view(req, view, (), {}) or view(req)
    )
    middleware(request)
    return seen["db"]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_middleware_sends_reporting_pages_to_the_replica():
    with two_aliases():
        assert _seen_by_view("GET", "/board/") == "replica"
        assert _seen_by_view("GET", "/") == "replica"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_middleware_leaves_other_pages_and_posts_on_the_primary():
    with two_aliases():
        assert _seen_by_view("GET", "/referrals/") == "default"
        assert _seen_by_view("POST", "/board/") == "default"
        # and the flag does not outlive the request
        assert Referral.objects.all().db == "default"


def _settings_module(monkeypatch, replica_url):
    import importlib.util

    import prevent_portal.settings as product

    if replica_url:
        monkeypatch.setenv("DATABASE_REPLICA_URL", replica_url)
    else:
        monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    spec = importlib.util.spec_from_file_location("settings_under_test", product.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_add_the_replica_alias_router_and_middleware_when_asked(monkeypatch):
    module = _settings_module(monkeypatch, "postgres://portal@replica.invalid:5432/portal")
    assert module.DATABASES["replica"]["HOST"] == "replica.invalid"
    assert module.DATABASES["replica"]["TEST"] == {"MIRROR": "default"}
    assert module.DATABASE_ROUTERS == ROUTER
    assert "prevent_portal.replica.ReportingReadsFromReplica" in module.MIDDLEWARE


def test_settings_without_the_variable_have_one_database(monkeypatch):
    module = _settings_module(monkeypatch, None)
    assert set(module.DATABASES) == {"default"}
    assert "prevent_portal.replica.ReportingReadsFromReplica" not in module.MIDDLEWARE
