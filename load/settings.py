"""Settings for the load test and the fault drills: the product's settings with DEBUG
off, served by gunicorn on loopback, against a PostgreSQL database of their own.

LOAD_DATABASE_URL names that database; its name must say "load" or "drill", so that
neither can ever write into a developer's or a production database.
"""

import os
import warnings

import dj_database_url

from prevent_portal.settings import *  # noqa: F403
from prevent_portal.settings import DATABASES

LOAD_DATABASE_URL = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://prevent_portal@127.0.0.1:5432/prevent_portal_load"
)

DEBUG = False
# "testserver": the runner checks each action in-process with Django's test client first.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# A new dict: the product's settings module must keep its own database.
DATABASES = {
    **DATABASES,
    "default": {
        **dj_database_url.parse(
            LOAD_DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))
        ),
        "ATOMIC_REQUESTS": True,
    },
}
if not any(word in DATABASES["default"]["NAME"] for word in ("load", "drill")):
    raise ValueError("LOAD_DATABASE_URL must name a database whose name says load or drill")
# Sessions are written before the run, so the deliberately slow argon2 hasher is never
# measured; the accounts are made faster with this one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # An error page served is logged with its traceback: the runner counts them.
    "loggers": {"django.request": {"level": "ERROR"}},
}

# WhiteNoise's warning that STATIC_ROOT is missing: the pages are measured, not the files.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
