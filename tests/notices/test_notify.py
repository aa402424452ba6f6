"""``notify``: one notification per recipient and key, never twice; mail by each person's
choice; one group-robot message per organisation and event; never a fault for the caller."""

import pytest
from django.core import mail

from audit_portal.notices import services
from audit_portal.notices.kinds import Kind, Mode
from audit_portal.notices.models import Delivery, GroupRobot, Notification, Preference

pytestmark = pytest.mark.django_db

MESSAGE = "Issue %(number)s raised at %(institution)s"
PARAMS = {"number": 12, "institution": "东湖区福利院"}


def send(recipients, *, kind=Kind.ISSUE_RAISED, key="issue:12:raised", url="/issues/12/"):
    return services.notify(
        kind=kind, recipients=recipients, key=key, message=MESSAGE, params=PARAMS, url=url
    )


def test_it_makes_one_notification_per_recipient(alice, bob):
    made = send([alice, bob, alice])
    assert sorted(note.recipient_id for note in made) == sorted([alice.pk, bob.pk])
    note = Notification.objects.get(recipient=alice)
    assert (note.kind, note.key, note.url) == (Kind.ISSUE_RAISED, "issue:12:raised", "/issues/12/")
    # Parameters are kept as strings, the message filled in when shown.
    assert note.params == {"number": "12", "institution": "东湖区福利院"}
    assert note.text == "Issue 12 raised at 东湖区福利院"


def test_the_same_key_reaches_nobody_twice(alice, bob):
    send([alice])
    assert send([alice]) == []
    # A recipient who did not have it yet still gets it.
    assert [note.recipient for note in send([alice, bob])] == [bob]
    assert Notification.objects.filter(key="issue:12:raised").count() == 2


def test_inactive_recipients_are_skipped(alice, bob):
    bob.is_active = False
    bob.save()
    assert [note.recipient for note in send([alice, bob])] == [alice]
    assert not Notification.objects.filter(recipient=bob).exists()


def test_no_active_recipient_makes_nothing(bob):
    bob.is_active = False
    bob.save()
    assert send([bob]) == []
    assert send([]) == []


def test_an_urgent_kind_is_mailed_at_once(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [note] = send([alice], kind=Kind.INCIDENT_ALERT, key="incident:3:alert")
    delivery = Delivery.objects.get(notification=note)
    assert (delivery.channel, delivery.status, delivery.target, delivery.attempts) == (
        Delivery.Channel.MAIL,
        Delivery.Status.SENT,
        alice.email,
        1,
    )
    [message] = mail.outbox
    assert message.to == [alice.email]
    assert "Issue 12 raised at 东湖区福利院" in message.subject
    # The link is absolute: the mail is read outside the application.
    assert "http://127.0.0.1:8000/issues/12/" in message.body


def test_a_kind_left_for_the_digest_is_not_mailed_at_once(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send([alice], kind=Kind.ISSUE_RAISED)
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_each_person_chooses_how_a_kind_reaches_them(
    alice, bob, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=alice, kind=Kind.INCIDENT_ALERT, mode=Mode.IN_APP)
    Preference.objects.create(user=bob, kind=Kind.ISSUE_RAISED, mode=Mode.MAIL)
    with django_capture_on_commit_callbacks(execute=True):
        send([alice, bob], kind=Kind.INCIDENT_ALERT, key="incident:3:alert")
        send([alice, bob], kind=Kind.ISSUE_RAISED)
    assert [message.to for message in mail.outbox] == [[bob.email], [bob.email]]


def test_a_person_without_a_mail_address_is_notified_in_the_application_only(
    dora, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [note] = send([dora], kind=Kind.INCIDENT_ALERT, key="incident:3:alert")
    assert note.recipient == dora
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_the_group_robot_gets_one_message_per_organisation_and_event(
    alice, bob, charlie, county, robot_server, django_capture_on_commit_callbacks
):
    GroupRobot.objects.create(
        organisation=county, flavour=GroupRobot.Flavour.WECOM, url=robot_server.path()
    )
    with django_capture_on_commit_callbacks(execute=True):
        send([alice])
        send([bob])  # the same event, another member of the same bureau
        send([alice, bob], key="issue:13:raised")
    robot = Delivery.objects.filter(channel=Delivery.Channel.WEBHOOK)
    assert sorted(robot.values_list("organisation", "key")) == [
        (county.pk, "issue:12:raised"),
        (county.pk, "issue:13:raised"),
    ]
    assert len(robot_server.received) == 2
    # Charlie's county has no robot; a switched-off robot gets nothing either.
    GroupRobot.objects.filter(organisation=county).update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        send([alice, charlie], key="issue:14:raised")
    assert robot.count() == 2


def test_deliveries_leave_only_once_the_action_is_committed(
    alice, county, robot_server, django_capture_on_commit_callbacks
):
    GroupRobot.objects.create(
        organisation=county, flavour=GroupRobot.Flavour.WECOM, url=robot_server.path()
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send([alice], kind=Kind.INCIDENT_ALERT, key="incident:3:alert")
    assert robot_server.received == []
    assert mail.outbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    assert len(callbacks) == 2


def test_a_fault_while_notifying_is_logged_and_never_raised(alice, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "modes_for", broken)
    assert send([alice]) == []
    # Nothing half-made: the notification went with the fault.
    assert not Notification.objects.exists()
    assert "issue:12:raised" in caplog.text


def test_a_notification_forgets_the_recipients_header_counts(alice, sources):
    from audit_portal.notices.selectors import header_counts

    assert header_counts(alice) == {"unread": 0, "todo": 0}
    send([alice])
    assert header_counts(alice)["unread"] == 1
