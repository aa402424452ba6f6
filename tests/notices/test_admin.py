"""The admin shows notifications, deliveries and robots read-only (a robot without its secret
address); failed deliveries can be tried again."""

import pytest
from django.urls import reverse

from audit_portal.notices.kinds import Kind
from audit_portal.notices.models import Delivery, GroupRobot, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(alice, county):
    note = Notification.objects.create(
        recipient=alice, kind=Kind.ISSUE_RAISED, message="Issue raised", key="issue:1"
    )
    delivery = Delivery.objects.create(
        channel=Delivery.Channel.MAIL,
        status=Delivery.Status.FAILED,
        notification=note,
        user=alice,
        key="issue:1",
        target=alice.email,
        subject="Issue raised",
        body="",
        attempts=6,
    )
    robot = GroupRobot.objects.create(
        organisation=county,
        flavour="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key",
    )
    return note, delivery, robot


def test_every_record_is_shown_read_only(admin_user, records, client):
    client.force_login(admin_user)
    for record in records:
        meta = record._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200
        page = client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
        )
        assert page.status_code == 200
        assert "secret-key" not in page.content.decode()
        assert (
            client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
        )


def test_a_robots_history_does_not_show_its_address(admin_user, records, client):
    from audit_portal.notices import services

    _note, _delivery, robot = records
    services.robot_save(
        organisation=robot.organisation,
        flavour="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=other-secret",
        active=True,
        actor=admin_user,
    )
    client.force_login(admin_user)
    history = client.get(reverse("admin:notices_grouprobot_history", args=[robot.pk]))
    assert history.status_code == 200
    assert "secret" not in history.content.decode()
    version = robot.history.last()
    page = client.get(
        reverse("admin:notices_grouprobot_simple_history", args=[robot.pk, version.pk])
    )
    assert "secret" not in page.content.decode()


def test_failed_deliveries_are_tried_again(
    admin_user, records, client, django_capture_on_commit_callbacks
):
    _note, delivery, _robot = records
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notices_delivery_changelist"),
            {"action": "retry", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 7)
