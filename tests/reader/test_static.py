"""Static files as production serves them: fingerprinted, compressed, cached for good."""

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=PRODUCTION_STORAGES,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_static_files_are_fingerprinted_and_compressed(collected):
    url = static("css/site.css")
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"
    hashed = collected / url.removeprefix("/static/")
    assert hashed.exists()
    assert hashed.with_name(hashed.name + ".gz").exists()


def test_fingerprinted_files_are_served_with_a_long_cache_lifetime(collected, rf):
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    url = static("css/site.css")
    response = middleware(rf.get(url, HTTP_ACCEPT_ENCODING="gzip"))
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
