from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from audit_portal.core import views as core_views
from audit_portal.notices.views import calendar as calendar_views

admin.site.site_header = _("Custody institution audit system")
admin.site.site_title = _("Custody institution audit system")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("files/<uuid:pk>/", core_views.evidence_download, name="evidence_download"),
    path("my-files/", include("audit_portal.core.files.urls")),
    path("accounts/", include("audit_portal.accounts.urls")),
    path("institutions/", include("inspections.urls")),
    path("supervisors/", include("supervisors.urls")),
    path("incidents/", include("incidents.urls")),
    path("open-day/", include("openday.urls")),
    path("notices/", include("audit_portal.notices.urls")),
    # The personal calendar feed: no login, the secret token in the address is the key.
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
