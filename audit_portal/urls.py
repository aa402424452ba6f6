from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

import incidents.api
import inspections.api
import openday.api
import residents.api
import supervisors.api
from audit_portal.api.docs import DocsView
from audit_portal.core import views as core_views
from audit_portal.notices.views import calendar as calendar_views

admin.site.site_header = _("Custody institution audit system")
admin.site.site_title = _("Custody institution audit system")
admin.site.index_title = _("Administration")

# The API under /api/v1/: each app declares its resources (``<app>/api``), composed here.
api_router = SimpleRouter()
for prefix, viewset, basename in (
    *inspections.api.ROUTES,
    *residents.api.ROUTES,
    *supervisors.api.ROUTES,
    *incidents.api.ROUTES,
    *openday.api.ROUTES,
):
    api_router.register(prefix, viewset, basename=basename)

api_urlpatterns = [
    *api_router.urls,
    # The schema and its documentation page (Swagger UI from the vendored sidecar files).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("files/<uuid:pk>/", core_views.evidence_download, name="evidence_download"),
    path("files/<uuid:pk>/thumb/", core_views.evidence_thumbnail, name="evidence_thumbnail"),
    path("my-files/", include("audit_portal.core.files.urls")),
    path("accounts/", include("audit_portal.accounts.urls")),
    path("accounts/api-tokens/", include("audit_portal.api.token_urls")),
    path("api/v1/", include((api_urlpatterns, "api"))),
    path("institutions/", include("inspections.urls")),
    path("residents/", include("residents.urls")),
    path("supervisors/", include("supervisors.urls")),
    path("incidents/", include("incidents.urls")),
    path("open-day/", include("openday.urls")),
    path("notices/", include("audit_portal.notices.urls")),
    path("security/", include("audit_portal.security.urls")),
    # The personal calendar feed: no login, the secret token in the address is the key.
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
