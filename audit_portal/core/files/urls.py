from django.urls import path

from audit_portal.core.files import views

app_name = "files"

urlpatterns = [
    path("", views.file_list, name="list"),
    path("<uuid:pk>/", views.file_detail, name="detail"),
    path("<uuid:pk>/download/", views.file_download, name="download"),
    path("<uuid:pk>/retry/", views.file_retry, name="retry"),
]
