"""/api/v1/: the operations of endpoints.py, the schema and its documentation page, every
address wrapped by serving.py (CORS, HEAD, OPTIONS, JSON errors). An address here that
matches none is answered 404 in JSON too (newsarchive/urls.py)."""

from django.urls import URLPattern, path

from articles.api.endpoints import api
from articles.api.serving import documentation, openapi_schema, served
from articles.reader.caching import public_page

app_name = "api"

operations, _app_name, _namespace = api.urls
urlpatterns = [
    path("openapi.json", served(public_page(openapi_schema)), name="openapi"),
    path("docs/", served(public_page(documentation)), name="docs"),
    *(
        URLPattern(pattern.pattern, served(pattern.callback), pattern.default_args, pattern.name)
        for pattern in operations
    ),
]
