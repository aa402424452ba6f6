from django.urls import path

from residents import export_pages, views, visit_pages

app_name = "residents"

urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("admit/", views.resident_admit, name="resident_admit"),
    path("returned-home/", views.return_ledger, name="return_ledger"),
    path("supervisor-read/", views.supervisor_read, name="supervisor_read"),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/id-number/", views.resident_reveal_id_number, name="resident_reveal_id"),
    path("<int:pk>/identity/", views.resident_identify, name="resident_identify"),
    path("<int:pk>/care/", views.resident_care, name="resident_care"),
    path("<int:pk>/discharge/", views.resident_discharge, name="resident_discharge"),
    path("<int:pk>/steps/new/", views.step_add, name="step_add"),
    path("<int:pk>/settlement/new/", views.settlement_add, name="settlement_add"),
    path("<int:pk>/return-home/", views.return_home, name="return_home"),
    path("<int:pk>/return-home/feedback/", views.return_feedback, name="return_feedback"),
    path("<int:pk>/follow-ups/new/", views.follow_up_add, name="follow_up_add"),
    path("steps/<int:pk>/done/", views.step_done, name="step_done"),
    path("settlements/<int:pk>/outcome/", views.settlement_outcome, name="settlement_outcome"),
    path("follow-ups/<int:pk>/", views.follow_up_done, name="follow_up_done"),
]

# The residents seen on a monthly visit (linked from the visit's page).
urlpatterns += [path("visits/<int:pk>/", visit_pages.visit_residents, name="visit_residents")]
# The ledgers in Excel (built by the worker).
urlpatterns += [
    path("export/", export_pages.resident_ledger_export, name="resident_ledger_export"),
    path("returned-home/export/", export_pages.return_ledger_export, name="return_ledger_export"),
]
