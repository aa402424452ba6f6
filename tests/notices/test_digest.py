"""The daily digest: one mail a day per person with their unread notifications of the kinds
they left for it; a second run the same day sends nothing; read ones and people without a mail
address are left out; what arrives after the day's digest waits for the next one."""

import datetime

import pytest
from django.core import mail

from audit_portal.notices import services
from audit_portal.notices.kinds import Kind, Mode
from audit_portal.notices.models import Delivery, Notification, Preference

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 9, 28, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Shanghai
EVENING = MORNING + datetime.timedelta(hours=10)
NEXT_DAY = MORNING + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(MORNING, tick=False)


def tell(recipients, number, *, kind=Kind.ISSUE_RAISED, now=MORNING):
    return services.notify(
        kind=kind,
        recipients=recipients,
        key=f"issue:{number}:raised",
        message="Issue %(number)s raised",
        params={"number": number},
        url=f"/issues/{number}/",
        now=now,
    )


def digests(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.digests_send(now=now)


def test_one_mail_a_day_gathers_the_unread_notifications(
    alice, bob, django_capture_on_commit_callbacks
):
    tell([alice, bob], 1)
    tell([alice], 2)
    assert digests(EVENING, django_capture_on_commit_callbacks) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {alice.email, bob.email}
    body = by_address[alice.email].body
    assert "- Issue 1 raised\n  http://127.0.0.1:8000/issues/1/" in body
    assert "- Issue 2 raised" in body
    assert "2026-09-28" in by_address[alice.email].subject
    delivery = Delivery.objects.get(user=alice)
    assert (delivery.channel, delivery.key, delivery.status) == (
        Delivery.Channel.DIGEST,
        "digest:2026-09-28",
        Delivery.Status.SENT,
    )


def test_a_second_run_the_same_day_sends_nothing(alice, django_capture_on_commit_callbacks):
    tell([alice], 1)
    assert digests(EVENING, django_capture_on_commit_callbacks) == 1
    assert digests(EVENING + datetime.timedelta(minutes=5), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_what_arrives_after_the_days_digest_waits_for_the_next(
    alice, django_capture_on_commit_callbacks
):
    tell([alice], 1)
    digests(EVENING, django_capture_on_commit_callbacks)
    tell([alice], 2, now=EVENING + datetime.timedelta(minutes=1))
    assert digests(EVENING + datetime.timedelta(minutes=5), django_capture_on_commit_callbacks) == 0
    assert digests(NEXT_DAY, django_capture_on_commit_callbacks) == 1
    assert "Issue 2 raised" in mail.outbox[-1].body
    assert "Issue 1 raised" not in mail.outbox[-1].body


def test_read_notifications_are_left_out(alice, django_capture_on_commit_callbacks):
    [read] = tell([alice], 1)
    services.notification_read(user=alice, notification=read)
    assert digests(EVENING, django_capture_on_commit_callbacks) == 0
    tell([alice], 2)
    digests(NEXT_DAY, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "Issue 1 raised" not in message.body


def test_kinds_mailed_at_once_or_kept_in_the_application_are_not_in_the_digest(
    alice, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=alice, kind=Kind.ISSUE_RAISED, mode=Mode.IN_APP)
    tell([alice], 1)
    # Urgent kinds are mailed at once by default.
    tell([alice], 2, kind=Kind.INCIDENT_ALERT)
    assert digests(EVENING, django_capture_on_commit_callbacks) == 0
    assert not Delivery.objects.filter(channel=Delivery.Channel.DIGEST).exists()


def test_people_without_a_mail_address_are_skipped(dora, django_capture_on_commit_callbacks):
    tell([dora], 1)
    assert digests(EVENING, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    # Considered all the same: not sent again and again.
    assert not Notification.objects.filter(digested_at__isnull=True).exists()
