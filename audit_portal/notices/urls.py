from django.urls import path

from audit_portal.notices.views import calendar, notifications, robots

app_name = "notices"

urlpatterns = [
    path("", notifications.notification_list, name="list"),
    path("<int:pk>/read/", notifications.notification_read, name="read"),
    path("read-all/", notifications.notifications_read_all, name="read_all"),
    path("todo/", notifications.todo, name="todo"),
    path("settings/", notifications.preferences, name="preferences"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("robots/", robots.robot_list, name="robots"),
    path("robots/<int:pk>/", robots.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/remove/", robots.robot_remove, name="robot_remove"),
    path("robots/<int:pk>/test/", robots.robot_test, name="robot_test"),
    path("deliveries/", robots.delivery_list, name="deliveries"),
]
