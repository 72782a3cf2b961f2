"""The session store: Django's database store, remembering the expiry that the session's
row had when it was loaded. SessionLimitsMiddleware uses it to move the 30-minute idle
timeout on at most once a minute, rather than writing the row on every request."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    # When the row on the server expires, as loaded (None: no row, or not loaded yet).
    server_expiry = None

    def _get_session_from_db(self):
        found = super()._get_session_from_db()
        self.server_expiry = found.expire_date if found is not None else None
        return found
