from django.urls import path

from openday.views import public, staff, staff_files

app_name = "openday"

# Public pages: a year's published version, or (``v<n>/``) any version the public may read.
urlpatterns = [
    path("", public.index, name="index"),
    path("<int:year>/", public.area, name="area"),
    path("<int:year>/v<int:version>/", public.area, name="area"),
    path("<int:year>/summary.pdf", public.summary_pdf, name="summary_pdf"),
    path("<int:year>/v<int:version>/summary.pdf", public.summary_pdf, name="summary_pdf"),
    path("<int:year>/institutions/<int:institution>/", public.institution, name="institution"),
    path(
        "<int:year>/v<int:version>/institutions/<int:institution>/",
        public.institution,
        name="institution",
    ),
    path("<int:year>/institutions/<int:institution>/poster.pdf", public.poster, name="poster"),
    path(
        "<int:year>/v<int:version>/institutions/<int:institution>/poster.pdf",
        public.poster,
        name="poster",
    ),
    path("<int:year>/visits/", public.visit_list, name="visit_list"),
    path(
        "<int:year>/institutions/<int:institution>/visit/",
        public.visit_register,
        name="visit_register",
    ),
    path("visits/check/", public.visit_lookup, name="visit_lookup"),
    path("visits/cancel/", public.visit_cancel, name="visit_cancel"),
    path(
        "institutions/<int:institution>/complaint/",
        public.complaint_submit,
        name="complaint_submit",
    ),
    path("complaints/status/", public.complaint_status, name="complaint_status"),
    # Staff pages.
    path("staff/", staff.summary_list, name="summary_list"),
    path("staff/new/", staff.summary_create, name="summary_create"),
    path("staff/<int:pk>/", staff.summary_detail, name="summary_detail"),
    path("staff/<int:pk>/regenerate/", staff.summary_regenerate, name="summary_regenerate"),
    path("staff/<int:pk>/approve/", staff.summary_approve, name="summary_approve"),
    path("staff/<int:pk>/return/", staff.summary_return, name="summary_return"),
    path("staff/<int:pk>/publish/", staff.summary_publish, name="summary_publish"),
    path("staff/<int:pk>/correct/", staff.summary_correct, name="summary_correct"),
    path("staff/<int:pk>/preview/", staff_files.summary_preview, name="summary_preview"),
    path(
        "staff/<int:pk>/render-files/",
        staff_files.summary_render_files,
        name="summary_render_files",
    ),
    path(
        "staff/<int:pk>/institutions/<int:entry>/",
        staff.entry_narrative,
        name="entry_narrative",
    ),
    path("staff/visits/", staff.visitday_list, name="visitday_list"),
    path("staff/visits/<int:year>/<int:institution>/", staff.visitday_edit, name="visitday_edit"),
    path(
        "staff/visits/<int:pk>/registrations/",
        staff.registration_list,
        name="registration_list",
    ),
    path("staff/complaints/", staff.complaint_list, name="complaint_list"),
    path("staff/complaints/<int:pk>/", staff.complaint_detail, name="complaint_detail"),
    path(
        "staff/complaints/<int:pk>/acknowledge/",
        staff.complaint_acknowledge,
        name="complaint_acknowledge",
    ),
    path("staff/complaints/<int:pk>/reply/", staff.complaint_reply, name="complaint_reply"),
    path("staff/complaints/<int:pk>/forward/", staff.complaint_forward, name="complaint_forward"),
]
