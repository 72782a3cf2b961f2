"""Reporting reads from a PostgreSQL read replica, when one is configured.

Opt-in: with DATABASE_REPLICA_URL set, settings.py adds a "replica" database alias, this
router and the middleware below. Without it nothing changes: one database does it all.

What goes to the replica: the reads of GET (and HEAD) requests to the `reporting` pages
(the home page, figures, the board view, the annual report), and only of the domain
data those pages count (REPLICA_APPS). Everything else stays on the primary: every write,
every other page, and in reporting requests too the user, the session, the audit log and
reporting's own records (a draft report read straight after it was saved must be the
saved one, and a replica may lag by a few seconds). docs/deployment.md explains the set-up.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
DEFAULT = "default"
# Domain data that the reporting pages count; never the user, sessions or the audit log.
REPLICA_APPS = frozenset({"governance", "referrals", "training", "education", "community"})
# URL namespaces whose safe requests read from the replica.
REPLICA_NAMESPACES = frozenset({"reporting"})

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Within the block, reads of domain data go to the replica (if there is one)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and model._meta.app_label in REPLICA_APPS and replica_configured():
            return REPLICA
        return None  # the next router, then "default"

    def db_for_write(self, model, **hints):
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows from either may be related.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema through replication, never migrate.
        return db != REPLICA


class ReportingReadsFromReplica:
    """Marks the GET and HEAD requests of the reporting pages as replica readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _use_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _use_replica.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method in ("GET", "HEAD")
            and match is not None
            and REPLICA_NAMESPACES.intersection(match.namespaces)
        ):
            _use_replica.set(True)
        return None
