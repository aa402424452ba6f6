from django.urls import path

from incidents import alert_views, chain_views, views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("new/", views.incident_create, name="incident_create"),
    path("<int:pk>/", views.incident_detail, name="incident_detail"),
    path("<int:pk>/follow-up/", views.incident_followup, name="incident_followup"),
    path("<int:pk>/final/", views.incident_final, name="incident_final"),
    path("<int:pk>/police/", views.police_record_add, name="police_record_add"),
    path("<int:pk>/casualties/", views.casualties_change, name="casualties_change"),
    path("<int:pk>/over/", views.incident_declare_over, name="incident_declare_over"),
    path("<int:pk>/acknowledge/", views.incident_acknowledge, name="incident_acknowledge"),
    path("<int:pk>/comment/", views.incident_comment, name="incident_comment"),
    path("<int:pk>/close/", views.incident_close, name="incident_close"),
    path("<int:pk>/incident.pdf", views.incident_pdf, name="incident_pdf"),
    path("<int:pk>/forward/", chain_views.report_forward, name="report_forward"),
    path("<int:pk>/regulators/", chain_views.regulator_report_add, name="regulator_report_add"),
    path("reports/<int:pk>/amend/", views.report_amend, name="report_amend"),
    path("alerts/", alert_views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/read/", alert_views.alert_read, name="alert_read"),
    path("rates/", alert_views.rates, name="rates"),
]
