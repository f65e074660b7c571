"""WSGI entry point (gunicorn newsarchive.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings.prod")

application = get_wsgi_application()

# What start-up loaded (about 70,000 objects) lives as long as the worker: left out of
# garbage collection, it no longer makes each full collection a 30 ms pause of a request.
gc.freeze()
