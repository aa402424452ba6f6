from django.urls import path

from supervisors import views

app_name = "supervisors"

urlpatterns = [
    path("", views.supervisor_list, name="supervisor_list"),
    path("new/", views.supervisor_create, name="supervisor_create"),
    path("<int:pk>/", views.supervisor_detail, name="supervisor_detail"),
    path("<int:pk>/id-number/", views.supervisor_id_number, name="supervisor_id_number"),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/new/", views.appointment_nominate, name="appointment_nominate"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/vet/", views.appointment_vet, name="appointment_vet"),
    path("appointments/<int:pk>/decide/", views.appointment_decide, name="appointment_decide"),
    path("appointments/<int:pk>/file/", views.appointment_file, name="appointment_file"),
    path(
        "appointments/<int:pk>/turn-down/",
        views.appointment_turn_down,
        name="appointment_turn_down",
    ),
    path(
        "appointments/<int:pk>/override/", views.appointment_override, name="appointment_override"
    ),
    path("terms/<int:pk>/letter.pdf", views.term_letter, name="term_letter"),
    path("terms/<int:pk>/end/", views.term_end, name="term_end"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/", views.group_member_add, name="group_member_add"),
    path("groups/<int:pk>/activate/", views.group_activate, name="group_activate"),
    path("groups/<int:pk>/assign/", views.group_assign, name="group_assign"),
    path("memberships/<int:pk>/remove/", views.group_member_remove, name="group_member_remove"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/", views.complaint_update, name="complaint_update"),
    path("events/new/", views.event_create, name="event_create"),
    path("me/", views.my_record, name="my_record"),
    path("me/undertaking/", views.undertaking, name="undertaking"),
    path("me/institutions/<int:pk>/", views.my_institution, name="my_institution"),
    path("me/complaints/new/", views.complaint_create, name="complaint_create"),
    path("me/suggestions/new/", views.suggestion_create, name="suggestion_create"),
]
