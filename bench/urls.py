"""The site's URLs plus a constant view: the floor any page is measured against."""

from django.http import HttpResponse
from django.urls import path

from newsarchive import urls as site


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


# The site's own list, not an include(): Django refuses i18n_patterns in an included URLconf.
urlpatterns = [path("_bench/trivial/", trivial, name="bench_trivial"), *site.urlpatterns]
handler404 = site.handler404
