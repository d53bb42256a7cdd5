"""URLs of the feeds benchmark: the service, plus the floor of a conditional request."""

from django.http import HttpRequest, HttpResponseNotModified
from django.urls import path

from config.urls import urlpatterns as service_urlpatterns


def not_modified(request: HttpRequest) -> HttpResponseNotModified:
    """The floor for a 304: a bare Django view that answers "not modified" at once."""
    return HttpResponseNotModified()


urlpatterns = [path("bench/not-modified/", not_modified), *service_urlpatterns]
