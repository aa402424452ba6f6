"""Delivering outside the application: group-robot messages posted to a real local HTTP server
in each service's format, a failure retried with the back-off of the rules and then given up,
the daily sweep picking up what is due, and the action that caused it never affected."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from audit_portal.accounts.models import Organisation
from audit_portal.notices import services
from audit_portal.notices.kinds import Kind
from audit_portal.notices.models import Delivery, GroupRobot
from audit_portal.rules import rules

pytestmark = pytest.mark.django_db

Status = Delivery.Status
NOW = datetime.datetime(2026, 9, 28, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def robot(organisation, server, flavour=GroupRobot.Flavour.WECOM):
    return GroupRobot.objects.create(
        organisation=organisation, flavour=flavour, url=server.path(flavour)
    )


def raise_issue(recipients, key="issue:12:raised"):
    return services.notify(
        kind=Kind.ISSUE_RAISED,
        recipients=recipients,
        key=key,
        message="Issue %(number)s raised at %(institution)s",
        params={"number": 12, "institution": "东湖区福利院"},
        url="/issues/12/",
        now=NOW,
    )


def webhook():
    return Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)


def test_an_enterprise_wechat_robot_gets_a_markdown_message(
    alice, county, robot_server, django_capture_on_commit_callbacks
):
    robot(county, robot_server)
    with django_capture_on_commit_callbacks(execute=True):
        raise_issue([alice])
    [request] = robot_server.received
    assert request["path"] == "/cgi-bin/webhook/send?key=secret-key"
    assert request["content_type"] == "application/json; charset=utf-8"
    payload = request["json"]
    assert payload["msgtype"] == "markdown"
    assert set(payload["markdown"]) == {"content"}
    content = payload["markdown"]["content"]
    assert content.startswith("**Issue 12 raised at 东湖区福利院**")
    assert "(http://127.0.0.1:8000/issues/12/)" in content
    delivery = webhook()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.SENT, 1, "")
    assert delivery.sent_at is not None
    # The log shows the robot's host, never its secret key.
    assert delivery.target == "127.0.0.1"


def test_a_dingtalk_robot_gets_a_markdown_message_with_a_title(
    alice, county, robot_server, django_capture_on_commit_callbacks
):
    robot(county, robot_server, GroupRobot.Flavour.DINGTALK)
    with django_capture_on_commit_callbacks(execute=True):
        raise_issue([alice])
    [request] = robot_server.received
    assert request["path"] == "/robot/send?access_token=secret-token"
    payload = request["json"]
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == "Issue 12 raised at 东湖区福利院"
    assert "http://127.0.0.1:8000/issues/12/" in payload["markdown"]["text"]
    assert webhook().status == Status.SENT


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((500, {"message": "server error"}), "HTTP 500"),
        ((200, {"errcode": 93000, "errmsg": "invalid webhook url"}), "errcode 93000"),
        ("hang", "timed out"),
    ],
    ids=["http-500", "errcode", "timeout"],
)
def test_a_failing_robot_is_retried_with_back_off(
    alice, county, robot_server, django_capture_on_commit_callbacks, answer, error
):
    robot(county, robot_server)
    robot_server.answers = [answer]
    with django_capture_on_commit_callbacks(execute=True):
        raise_issue([alice])
    delivery = webhook()
    assert (delivery.status, delivery.attempts) == (Status.RETRYING, 1)
    assert error in delivery.last_error
    first_wait = rules().notification_retry_minutes[0]
    assert delivery.next_attempt_at == NOW + datetime.timedelta(minutes=first_wait)


def test_a_robot_that_keeps_failing_is_given_up_after_the_last_retry(
    alice, county, robot_server, django_capture_on_commit_callbacks
):
    robot(county, robot_server)
    backoff = rules().notification_retry_minutes
    robot_server.answers = [(500, {})] * (len(backoff) + 1)
    with django_capture_on_commit_callbacks(execute=True):
        raise_issue([alice])
    delivery = webhook()
    for attempt in range(1, len(backoff) + 1):
        assert (delivery.status, delivery.attempts) == (Status.RETRYING, attempt)
        due = delivery.next_attempt_at
        # Not due yet: nothing is sent (a second copy of the task keeps the back-off).
        services.delivery_attempt(delivery.pk, now=due - datetime.timedelta(seconds=1))
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        services.delivery_attempt(delivery.pk, now=due)
        delivery.refresh_from_db()
        if attempt < len(backoff):
            assert delivery.next_attempt_at == due + datetime.timedelta(minutes=backoff[attempt])
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        Status.FAILED,
        len(backoff) + 1,
        None,
    )
    assert len(robot_server.received) == len(backoff) + 1
    # Given up: nothing more is tried.
    services.delivery_attempt(delivery.pk, now=due + datetime.timedelta(days=1))
    assert len(robot_server.received) == len(backoff) + 1


def test_a_failing_robot_never_undoes_the_action_that_caused_it(
    alice, county, robot_server, django_capture_on_commit_callbacks
):
    robot(county, robot_server)
    robot_server.answers = [(500, {})]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        # The action: a record written, then its notification, in one transaction.
        station = Organisation.objects.create(
            name="东湖区救助站", code="n-station", kind=Organisation.Kind.STATION, parent=county
        )
        [note] = raise_issue([alice])
    assert Organisation.objects.filter(pk=station.pk).exists()
    note.refresh_from_db()
    assert webhook().status == Status.RETRYING


def test_the_daily_sweep_sends_what_is_due_and_leaves_the_rest(
    alice, bob, county, robot_server, django_capture_on_commit_callbacks
):
    robot(county, robot_server)
    robot_server.answers = [(500, {}), (500, {})]
    with django_capture_on_commit_callbacks(execute=True):
        raise_issue([alice], key="issue:12:raised")
        raise_issue([bob], key="issue:13:raised")
    first, second = Delivery.objects.order_by("key")
    Delivery.objects.filter(pk=second.pk).update(next_attempt_at=NOW + datetime.timedelta(hours=5))
    assert services.deliveries_resume(now=NOW + datetime.timedelta(hours=1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attempts) == (Status.SENT, 2)
    assert (second.status, second.attempts) == (Status.RETRYING, 1)


def test_a_robot_removed_since_fails_the_message_with_the_reason(
    alice, county, robot_server, django_capture_on_commit_callbacks
):
    robot(county, robot_server)
    with django_capture_on_commit_callbacks(execute=False):
        raise_issue([alice])
    GroupRobot.objects.filter(organisation=county).update(active=False)
    services.delivery_attempt(webhook().pk, now=NOW)
    delivery = webhook()
    assert delivery.status == Status.RETRYING
    assert "停用" in delivery.last_error
    assert robot_server.received == []


def test_a_mail_server_failure_is_retried(alice, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            kind=Kind.INCIDENT_ALERT,
            recipients=[alice],
            key="incident:3:alert",
            message="Incident at %(institution)s",
            params={"institution": "东湖区福利院"},
            now=NOW,
        )
    delivery = Delivery.objects.get(channel=Delivery.Channel.MAIL)
    assert (delivery.status, delivery.attempts) == (Status.RETRYING, 1)
    assert "ConnectionRefusedError: smtp down" in delivery.last_error
    monkeypatch.undo()
    services.deliveries_resume(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_an_administrator_can_try_failed_deliveries_again(
    alice, admin_user, county, robot_server, django_capture_on_commit_callbacks
):
    robot(county, robot_server)
    with django_capture_on_commit_callbacks(execute=False):
        raise_issue([alice])
    Delivery.objects.update(status=Status.FAILED, attempts=6, next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_retry(deliveries=Delivery.objects.all(), actor=admin_user) == 1
    delivery = webhook()
    assert (delivery.status, delivery.attempts) == (Status.SENT, 7)
    assert delivery.sent_at >= timezone.now() - datetime.timedelta(minutes=1)


def test_only_an_administrator_tries_failed_deliveries_again(alice):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.deliveries_retry(deliveries=Delivery.objects.all(), actor=alice)
