"""Pages that the public page cache must not keep, behind public_page as the site's are
(tests/reader/test_caching_methods.py)."""

from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.urls import path
from django.utils.html import format_html

from articles.reader.caching import public_page


def page_with_an_inline_script(request):
    """A page holding the request's CSP nonce, which its Content-Security-Policy allows."""
    return HttpResponse(format_html('<script nonce="{}">1</script>', get_nonce(request)))


def page_in_the_readers_language(request):
    """A page that varies with a request header, and says so."""
    response = HttpResponse(request.headers.get("Accept-Language", "none"))
    response["Vary"] = "Accept-Language"
    return response


urlpatterns = [
    path("script/", public_page(page_with_an_inline_script)),
    path("language/", public_page(page_in_the_readers_language)),
]
