"""The admin shows the security log and axes's sign-in records but nobody, not even a
superuser, adds, changes or deletes them."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent

MODELS = [SecurityEvent, AccessAttempt, AccessLog, AccessFailureLog]


@pytest.fixture
def superuser_request(world):
    request = RequestFactory().get("/admin/")
    request.user = world.users["admin"]
    assert request.user.is_superuser
    return request


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_a_superuser_may_not_add_change_or_delete(model, superuser_request):
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(superuser_request)
    assert not model_admin.has_change_permission(superuser_request)
    assert not model_admin.has_delete_permission(superuser_request)
    assert not model_admin.get_actions(superuser_request)


def test_the_event_pages_show_but_refuse_deletion(world, client_for):
    event = record(SecurityEvent.Kind.LOGIN, user=world.users["county_a_staff"])
    client = client_for("admin")
    assert client.get(reverse("admin:security_securityevent_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:security_securityevent_change", args=[event.pk])).status_code
        == 200
    )
    delete = reverse("admin:security_securityevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_an_axes_access_log_cannot_be_deleted_from_the_admin(world, client_for):
    log = AccessLog.objects.create(username="alice", ip_address="10.0.0.1", user_agent="x")
    client = client_for("admin")
    assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 200
    delete = reverse("admin:axes_accesslog_delete", args=[log.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_an_axes_attempt_cannot_be_deleted_in_bulk(world, client_for):
    attempt = AccessAttempt.objects.create(
        username="alice", ip_address="10.0.0.1", user_agent="x", failures_since_start=5
    )
    client = client_for("admin")
    page = reverse("admin:axes_accessattempt_change", args=[attempt.pk])
    assert client.get(page).status_code == 200
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
