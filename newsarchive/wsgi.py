"""WSGI entry point (gunicorn newsarchive.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings.prod")

application = get_wsgi_application()
