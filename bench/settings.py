"""Settings for the benchmarks: the product's settings, a separate PostgreSQL database,
and the yardsticks (Django's admin and a bare view) mounted next to the portal.

The admin is registered here only: the product has no admin site.
"""

import os
import warnings

import dj_database_url

from prevent_portal.settings import *  # noqa: F403
from prevent_portal.settings import DATABASES, INSTALLED_APPS, MIDDLEWARE

# One database per preset (bench/run.py sets it); by default the national one, which is
# what bench/profile.py and bench/annual.py are usually pointed at.
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL",
    "postgres://prevent_portal@127.0.0.1:5432/prevent_portal_bench_national",
)

DEBUG = False
# "testserver": the in-process query count uses Django's test client.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# A new dict: the product's settings module must keep its own database.
DATABASES = {
    **DATABASES,
    "default": {
        **dj_database_url.parse(
            BENCH_DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
        ),
        "ATOMIC_REQUESTS": True,
    },
}
if "bench" not in DATABASES["default"]["NAME"]:
    raise ValueError("BENCH_DATABASE_URL must name a database whose name says bench")
INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin"]
MIDDLEWARE = list(MIDDLEWARE)
ROOT_URLCONF = "bench.urls"
# The product's argon2 hashes are deliberately slow; sessions are made beforehand, so
# the hasher does not show in the figures, but the generator creates users faster.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# WhiteNoise's warning that STATIC_ROOT is missing: the pages are measured, not the files.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
