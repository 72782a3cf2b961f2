"""Settings for Prevent Portal.

Everything that differs between machines comes from the environment:
SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL. With nothing set, the portal runs
on a SQLite file next to manage.py. Production uses prevent_portal.settings_production,
which refuses to start without a real secret key and turns on the secure defaults.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# The fallback key is for a developer's machine only; settings_production refuses it.
SECRET_KEY = (
    os.environ.get("SECRET_KEY") or "django-insecure-local-development-key-not-for-production"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "prevent_portal.accounts",
    "prevent_portal.audit",
    "prevent_portal.ui",
    "governance",
    "referrals",
    "channel",
    "vaf",
    "casework",
    "worklist",
    "documents",
    "retention",
    "disclosures",
    "training",
    "education",
    "community",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body (the CSRF check reads the form): 413 if too large.
    "prevent_portal.ui.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed MFA (docs/security.md §6)?
    "prevent_portal.accounts.mfa.SessionOTPMiddleware",
    "prevent_portal.accounts.middleware.SecurityHeadersMiddleware",
    "prevent_portal.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (it says why it signed you out) and the audit context (the sign-out
    # it causes is audited with the address).
    "prevent_portal.accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Signed in but not past MFA: only the MFA pages, sign-out and public pages.
    "prevent_portal.accounts.mfa.MfaRequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prevent_portal.urls"
WSGI_APPLICATION = "prevent_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prevent_portal.ui.context_processors.service",
                "prevent_portal.accounts.context_processors.session_timeout",
            ],
        },
    },
]

# Kept connections (CONN_MAX_AGE) are checked before reuse, so that after a database
# restart the first request of each worker reconnects instead of failing (make drills).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# Every request is one transaction: a view that fails part-way leaves nothing behind.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Opt-in: a read replica for the reporting pages (prevent_portal/replica.py,
# docs/deployment.md). Unset, one database does everything.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["prevent_portal.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "prevent_portal.replica.ReportingReadsFromReplica",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reporting:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "prevent_portal.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (docs/security.md §7): 5 failures for one username from one address lock that pair
# for 15 minutes. Keyed on the pair so that nobody can lock a colleague out from afar,
# and the same for every username typed, so the response never tells whether an
# account exists. Attempts are kept in the database, so each test starts clean.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A fixed cool-off: further attempts while locked do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "prevent_portal.accounts.views.locked_out"
# The audit log records every sign-in; axes' own access log would be a second copy.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The same address as the audit log records (REMOTE_ADDR; see docs/operations.md).
AXES_CLIENT_IP_CALLABLE = "prevent_portal.accounts.lockout.client_address"

# MFA (docs/security.md §6, prevent_portal/accounts/mfa.py): the issuer shown in the
# authenticator app. Each device accepts one 30-second step of clock drift either way
# (django-otp's default `tolerance`) and never a step at or before the last one used.
OTP_TOTP_ISSUER = "Prevent Portal"

# Password reset links last one hour (docs/security.md §8).
PASSWORD_RESET_TIMEOUT = 60 * 60
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "prevent-portal@localhost")
# SMTP, when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Sessions (docs/security.md §9): 30 minutes idle (a request saves the session, at most once
# a minute, and so moves its expiry on), at most 10 hours from sign-in
# (SessionLimitsMiddleware). Pages warn SESSION_WARNING_SECONDS before the idle timeout
# (static/js/timeout-warning.js).
SESSION_COOKIE_AGE = 30 * 60
# The row's expiry is moved on at most once a minute (SESSION_REFRESH_SECONDS), not on
# every request: the timeout stays 30 minutes to within that minute.
SESSION_ENGINE = "prevent_portal.accounts.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60
SESSION_WARNING_SECONDS = 2 * 60
# Re-authentication before a case export (docs/security.md §16): the password and a fresh MFA
# code count for this long (prevent_portal/accounts/reauth.py).
REAUTH_MAX_AGE_SECONDS = 5 * 60
# Unusual access (prevent_portal/audit/alerts.py): an alert when a user opens more
# distinct cases in UNUSUAL_ACCESS_WINDOW_MINUTES than max(UNUSUAL_ACCESS_MIN,
# UNUSUAL_ACCESS_FACTOR x their average per hour over UNUSUAL_ACCESS_BASELINE_DAYS).
UNUSUAL_ACCESS_WINDOW_MINUTES = 60
UNUSUAL_ACCESS_MIN = 30
UNUSUAL_ACCESS_FACTOR = 3
UNUSUAL_ACCESS_BASELINE_DAYS = 30
# The same for intake's likely-match lookups (probing names) and for 404s on URLs that
# name a case-work record (guessing ids), each with its own minimum per window.
UNUSUAL_ACCESS_LOOKUPS_MIN = 15
UNUSUAL_ACCESS_NOT_FOUND_MIN = 10
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (docs/security.md §17), django-csp 4 format. Only the portal's own
# files: no inline script or style anywhere, no plug-ins, no framing, no <base>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features the portal never uses (SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Development and tests serve static files straight from the finders; production
# (settings_production) serves the collected, hashed and compressed copies.
# Uploaded and generated documents (prevent_portal/files/storage.py, docs/documents.md):
# a private directory outside the static files and with no URL; served only by the
# download view after the case's access check. Several servers share an S3-compatible
# bucket instead (docs/deployment.md).
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT") or BASE_DIR / "private-documents")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {
        "BACKEND": "prevent_portal.files.storage.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": DOCUMENTS_ROOT,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
# The largest file that may be uploaded as a document (checked before it is read).
DOCUMENT_MAX_UPLOAD_BYTES = int(os.environ.get("DOCUMENT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Service identity shown in the header when the partnership has not been named in the data.
SERVICE_NAME = "Prevent Portal"
# Which cases a Channel coordinator sees: "all" of the partnership's, or only those
# "assigned" to them (supervisors always see all). See referrals/conf.py.
REFERRALS_SCOPE = os.environ.get("REFERRALS_SCOPE", "all")
# Years a case is kept after it left the process, before it is reviewed for disposal.
REFERRAL_RETENTION_YEARS = int(os.environ.get("REFERRAL_RETENTION_YEARS", "6"))
PAGINATE_BY = 25

# Public training booking (docs/training.md, "Booking"). Bookers' personal data is kept
# this many months after the session, then emptied by the retention job (counts stay).
TRAINING_BOOKING_RETENTION_MONTHS = int(os.environ.get("TRAINING_BOOKING_RETENTION_MONTHS", "12"))
# Accepted bookings per work email and per IP address within the window (counted in the
# database, so every worker sees the same numbers).
TRAINING_BOOKINGS_PER_EMAIL = int(os.environ.get("TRAINING_BOOKINGS_PER_EMAIL", "5"))
TRAINING_BOOKINGS_PER_IP = int(os.environ.get("TRAINING_BOOKINGS_PER_IP", "20"))
TRAINING_PUBLIC_RATE_WINDOW_MINUTES = int(
    os.environ.get("TRAINING_PUBLIC_RATE_WINDOW_MINUTES", "60")
)

# Uploads and request size (docs/deployment.md, "Uploads and the size of a request"). The
# proxy in front refuses a larger body first (nginx client_max_body_size); the portal
# refuses one over REQUEST_BODY_MAX_BYTES itself (413), before anything reads it: the
# largest upload is the register of settings (the GIAS extract, up to 100MB), and its form.
REQUEST_BODY_MAX_BYTES = 101 * 1024 * 1024
# Form fields held in memory (uploaded files not counted), Django's default made explicit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An uploaded file larger than this is written to a temporary file while the request is
# read (deleted at its end), never held in memory whole.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Rows one import may bring in (prevent_portal/ui/uploads.py); importers may take fewer
# (training sessions 5,000). Each import is checked and saved in one request
# (docs/security.md, line 26), so this stays at 10,000 or less.
IMPORT_MAX_ROWS = 10_000
# Rows of a GIAS extract read at all, most of them other local authorities' (left out).
REGISTER_FILE_MAX_ROWS = 200_000

# Background tasks (the annual report PDF): queued in the database, run by
# `manage.py db_worker` (started by `make run`; a service of its own in production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pikepdf announces its logging bridge at INFO when it is first imported.
        "pikepdf": {"level": "WARNING"},
    },
}
