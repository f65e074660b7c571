"""The site's URLs plus a constant view: the floor any page is measured against."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("_bench/trivial/", trivial, name="bench_trivial"),
    path("", include("newsarchive.urls")),
]
