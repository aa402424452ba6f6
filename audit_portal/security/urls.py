from django.urls import path

from audit_portal.security import views

app_name = "security"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
]
