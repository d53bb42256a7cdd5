from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

api_v1 = (
    [path("", include("agenda.api.urls")), path("", include("registrations.api.urls")),
     path("", include("webhooks.api.urls"))],
    "api",
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", include(api_v1)),
    path("feeds/", include("agenda.feeds.urls")),
    path("feeds/", include("registrations.feed_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script from a URL of its own: no inline script (CSP). Swagger
    # UI draws its icons as data: images, which this page alone may load.
    path(
        "api/docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html")
        ),
        name="api-docs",
    ),
    path("", include("notifications.urls")),
    path("admin/", admin.site.urls),
    path("orga/", include("orga.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The attendee pages, /manage/<token>/ among them (registrations.links.manage_url).
    path("", include("pages.urls")),
]

if settings.SERVE_MEDIA:
    # Before the pages' catch-alls; production leaves this to the proxy (README).
    urlpatterns.insert(0, path("media/<path:path>", views.media, name="media"))

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
