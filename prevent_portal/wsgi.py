"""WSGI entry point (gunicorn prevent_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prevent_portal.settings_production")

application = get_wsgi_application()
