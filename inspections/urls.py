from django.urls import path

from inspections.views import registry

app_name = "inspections"

urlpatterns = [
    path("", registry.institution_list, name="institution_list"),
    path("new/", registry.institution_create, name="institution_create"),
    path("mine/", registry.my_institution, name="my_institution"),
    path("<int:pk>/", registry.institution_detail, name="institution_detail"),
    path("<int:pk>/edit/", registry.institution_edit, name="institution_edit"),
    path("<int:pk>/status/", registry.institution_status, name="institution_status"),
    path("<int:pk>/history/", registry.institution_history_view, name="institution_history"),
    path("<int:pk>/documents/new/", registry.document_upload, name="document_upload"),
    path("<int:pk>/accounts/new/", registry.account_create, name="account_create"),
    path("documents/<int:pk>/review/", registry.document_review, name="document_review"),
    path("documents/expiring/", registry.document_expiring, name="document_expiring"),
    path("agreements/new/", registry.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/activate/", registry.agreement_activate, name="agreement_activate"),
    path("agreements/<int:pk>/status/", registry.agreement_status, name="agreement_status"),
    path("agreements/<int:pk>/placements/", registry.placement_create, name="placement_create"),
]
