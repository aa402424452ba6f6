"""Writes of notifications: send one to its recipients (and queue its mail and robot messages),
read them, choose how each kind arrives, set an organisation's robot, reset a calendar address,
deliver and retry, and the daily digest.

``notify`` is called inside the action that causes it, so a notification exists only if the
action does; what leaves the application is queued on commit and sent by the worker, so a slow or
broken mail server or robot never holds up, fails or rolls back the action.
"""

import datetime
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited, stamp
from audit_portal.notices import channels
from audit_portal.notices.kinds import Mode, default_mode
from audit_portal.notices.models import (
    CalendarFeed,
    Delivery,
    GroupRobot,
    Notification,
    Preference,
    token_hash,
)
from audit_portal.rules import rules

logger = logging.getLogger(__name__)
Status = Delivery.Status


def _header_key(user_id: int) -> str:
    return f"notices:header:{user_id}"


def _home_key(user_id: int) -> str:
    return f"notices:home:{user_id}"


def header_forget(user_ids: Iterable[int]) -> None:
    """The header's counts and the home page's inbox of these users are counted again on their
    next page."""
    keys = []
    for pk in user_ids:
        keys += [_header_key(pk), _home_key(pk)]
    cache.delete_many(keys)


def _absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def modes_for(users: Iterable[User], kind: str) -> dict[int, str]:
    ids = [user.pk for user in users]
    chosen = dict(
        Preference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "mode")
    )
    return {pk: chosen.get(pk, default_mode(kind)) for pk in ids}


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    key: str,
    message: str,
    params: dict | None = None,
    url: str = "",
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell each recipient (active accounts only, each once per ``key``) and queue what leaves
    the application. Returns the notifications made now (none for those who had this key).

    A fault here is logged, never raised: a notification must not undo the action it reports.
    """
    try:
        with transaction.atomic():
            return _notify(kind, recipients, key, message, params or {}, url, now)
    except Exception:
        logger.exception("notification %s (%s) not sent", key, kind)
        return []


def _notify(kind, recipients, key, message, params, url, now) -> list[Notification]:
    now = now or timezone.now()
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return []
    had = set(
        Notification.objects.filter(key=key, recipient_id__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    made = []
    for pk, user in people.items():
        if pk in had:
            continue
        try:
            # A savepoint each: another run that made the same one first is not an error.
            with transaction.atomic():
                made.append(
                    Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        message=message,
                        params={name: str(value) for name, value in params.items()},
                        url=url,
                        key=key,
                        created_at=now,
                    )
                )
        except IntegrityError:
            continue
    if not made:
        return []
    header_forget(people)
    modes = modes_for([note.recipient for note in made], kind)
    deliveries = []
    for note in made:
        if modes[note.recipient_id] == Mode.MAIL and note.recipient.email:
            deliveries.append(_mail_delivery(note, now))
    deliveries.extend(_robot_deliveries(made, kind, key, now))
    for delivery in deliveries:
        delivery.save()
        _queue(delivery)
    return made


def _mail_delivery(note: Notification, now) -> Delivery:
    with translation.override(settings.LANGUAGE_CODE):
        text = note.text
        subject = _("[Custody institution audit] %(text)s") % {"text": text}
        body = text + (f"\n\n{_absolute(note.url)}" if note.url else "")
    return Delivery(
        channel=Delivery.Channel.MAIL,
        notification=note,
        user=note.recipient,
        kind=note.kind,
        key=note.key,
        target=note.recipient.email,
        subject=subject[:300],
        body=body,
        created_at=now,
        next_attempt_at=now,
    )


def _robot_deliveries(made: list[Notification], kind: str, key: str, now) -> list[Delivery]:
    """One robot message per organisation among the recipients, per event."""
    organisation_ids = {note.recipient.organisation_id for note in made} - {None}
    if not organisation_ids:
        return []
    robots = GroupRobot.objects.filter(organisation_id__in=organisation_ids, active=True)
    sent = set(
        Delivery.objects.filter(
            channel=Delivery.Channel.WEBHOOK, key=key, organisation_id__in=organisation_ids
        ).values_list("organisation_id", flat=True)
    )
    note = made[0]
    with translation.override(settings.LANGUAGE_CODE):
        text = note.text
    deliveries = []
    for robot in robots:
        if robot.organisation_id in sent:
            continue
        deliveries.append(
            Delivery(
                channel=Delivery.Channel.WEBHOOK,
                organisation_id=robot.organisation_id,
                kind=kind,
                key=key,
                target=channels.robot_target(robot.url),
                subject=text[:300],
                body=_absolute(note.url) if note.url else "",
                created_at=now,
                next_attempt_at=now,
            )
        )
    return deliveries


def _queue(delivery: Delivery, run_after: datetime.datetime | None = None) -> None:
    from audit_portal.notices.tasks import deliver

    pk = delivery.pk
    task = deliver
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the daily run's sweep (``deliveries_resume``) sends it when it is due
        task = deliver.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(pk))


# Delivery ----------------------------------------------------------------------------------------


def delivery_attempt(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one delivery (the worker's task). On failure the next attempt is scheduled by the
    back-off in the rules, until they run out; the outcome is in the log either way."""
    now = now or timezone.now()
    with transaction.atomic():
        # ``of=self``: PostgreSQL locks no row of a nullable outer join (the organisation). A
        # retry not due yet (a second copy of its task) is left for its time, so the back-off
        # is kept; a new delivery goes at once, whatever the clocks of web server and worker.
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("organisation__group_robot")
            .filter(pk=delivery_id)
            .filter(
                Q(status=Status.PENDING)
                | Q(status=Status.RETRYING, next_attempt_at__lte=now)
                | Q(status=Status.RETRYING, next_attempt_at__isnull=True)
            )
            .first()
        )
        if delivery is None:
            return "done"
        try:
            _send(delivery)
        except channels.DeliveryError as error:
            delivery.attempts += 1
            delivery.last_error = str(error)[:500]
            backoff = rules().notification_retry_minutes
            if delivery.attempts > len(backoff):
                delivery.status = Status.FAILED
                delivery.next_attempt_at = None
            else:
                delivery.status = Status.RETRYING
                delivery.next_attempt_at = now + datetime.timedelta(
                    minutes=backoff[delivery.attempts - 1]
                )
                _queue(delivery, run_after=delivery.next_attempt_at)
            delivery.save()
            logger.warning(
                "delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error
            )
            return delivery.status
        delivery.attempts += 1
        delivery.status = Status.SENT
        delivery.sent_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
        delivery.save()
        return delivery.status


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.WEBHOOK:
        robot = getattr(delivery.organisation, "group_robot", None)
        if robot is None or not robot.active:
            raise channels.DeliveryError(_("The organisation's robot was removed or switched off."))
        payload = channels.robot_payload(
            robot.flavour, subject=delivery.subject, text="", link=delivery.body
        )
        channels.send_robot_message(url=robot.url, payload=payload)
        return
    channels.send_mail_message(
        address=delivery.target, subject=delivery.subject, body=delivery.body
    )


def deliveries_resume(*, now: datetime.datetime | None = None) -> int:
    """Queue again every unfinished delivery whose time has come: a worker restarted or a queue
    lost does not lose a message (the daily run calls it)."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            status__in=[Status.PENDING, Status.RETRYING], next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in due:
        delivery_attempt(pk, now=now)
    return len(due)


def deliveries_retry(*, deliveries, actor: User, now: datetime.datetime | None = None) -> int:
    """Try the given failed deliveries once more (an administrator's decision, once the fault
    is fixed); a new failure gives them up again. Returns how many were queued."""
    if not actor.is_admin:
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            deliveries.filter(status=Status.FAILED)
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(status=Status.PENDING, next_attempt_at=now)
        for pk in ids:
            _queue(Delivery(pk=pk))
    return len(ids)


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """One mail per person who chose the digest for some kind, with their unread notifications
    of those kinds since the last digest. Safe to run twice a day: one digest per person a day."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    waiting = Notification.objects.filter(
        digested_at__isnull=True, created_at__lte=now
    ).select_related("recipient")
    by_user: dict[int, list[Notification]] = defaultdict(list)
    users: dict[int, User] = {}
    for note in waiting.order_by("recipient_id", "created_at", "pk").iterator(chunk_size=2000):
        by_user[note.recipient_id].append(note)
        users[note.recipient_id] = note.recipient
    chosen: dict[int, dict[str, str]] = defaultdict(dict)
    for user_id, kind, mode in Preference.objects.filter(user_id__in=by_user).values_list(
        "user_id", "kind", "mode"
    ):
        chosen[user_id][kind] = mode
    key = f"digest:{day.isoformat()}"
    # Today's digest already sent: what came since waits for tomorrow's (not marked here).
    done = set(
        Delivery.objects.filter(
            channel=Delivery.Channel.DIGEST, key=key, user_id__in=by_user
        ).values_list("user_id", flat=True)
    )
    sent = 0
    for user_id, notes in by_user.items():
        if user_id in done:
            continue
        user = users[user_id]
        digest = [
            note
            for note in notes
            if note.read_at is None
            and chosen[user_id].get(note.kind, default_mode(note.kind)) == Mode.DIGEST
        ]
        with transaction.atomic():
            Notification.objects.filter(pk__in=[note.pk for note in notes]).update(digested_at=now)
            if not digest or not user.email or not user.is_active:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("[Custody institution audit] %(count)s notifications of %(day)s") % {
                    "count": len(digest),
                    "day": day.isoformat(),
                }
                lines = [
                    f"- {note.text}" + (f"\n  {_absolute(note.url)}" if note.url else "")
                    for note in digest
                ]
            delivery = Delivery.objects.create(
                channel=Delivery.Channel.DIGEST,
                user=user,
                key=key,
                target=user.email,
                subject=subject[:300],
                body="\n".join(lines),
                created_at=now,
                next_attempt_at=now,
            )
            _queue(delivery)
            sent += 1
    return sent


# Reading and choosing ----------------------------------------------------------------------------


def notification_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        header_forget([user.pk])


def notifications_read_all(*, user: User) -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    header_forget([user.pk])
    return count


@transaction.atomic
def preferences_set(*, user: User, modes: dict[str, str]) -> None:
    """Keep only the choices that differ from the defaults."""
    Preference.objects.filter(user=user).delete()
    Preference.objects.bulk_create(
        Preference(user=user, kind=kind, mode=mode)
        for kind, mode in modes.items()
        if mode != default_mode(kind)
    )


@transaction.atomic
def robot_save(
    *, organisation, flavour: str, url: str = "", active: bool, actor: User
) -> GroupRobot:
    """Set ``organisation``'s group robot. An empty ``url`` keeps the address already set (the
    page never shows the secret address back); a new one is checked before it is kept."""
    if not actor.is_admin:
        raise PermissionDenied
    robot = GroupRobot.objects.filter(organisation=organisation).first() or GroupRobot(
        organisation=organisation
    )
    if url or robot.pk is None:
        try:
            channels.robot_url_check(url)
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from error
        robot.url = url
    robot.flavour, robot.active = flavour, active
    save_audited(robot, actor=actor, reason=gettext_noop("Group robot set"))
    return robot


@transaction.atomic
def robot_remove(*, organisation, actor: User) -> bool:
    """Take ``organisation``'s group robot away; its messages not yet sent are given up."""
    if not actor.is_admin:
        raise PermissionDenied
    robot = GroupRobot.objects.filter(organisation=organisation).first()
    if robot is None:
        return False
    stamp(robot, actor=actor, reason=gettext_noop("Group robot removed"))
    robot.delete()
    Delivery.objects.filter(
        channel=Delivery.Channel.WEBHOOK,
        organisation=organisation,
        status__in=[Status.PENDING, Status.RETRYING],
    ).update(
        status=Status.FAILED,
        next_attempt_at=None,
        last_error=_("The organisation's robot was removed or switched off."),
    )
    return True


@transaction.atomic
def robot_test(*, organisation, actor: User, now: datetime.datetime | None = None) -> Delivery:
    """Queue a test message to ``organisation``'s robot; the delivery log shows how it went."""
    if not actor.is_admin:
        raise PermissionDenied
    robot = GroupRobot.objects.filter(organisation=organisation).first()
    if robot is None:
        raise ValidationError(_("This organisation has no group robot."))
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Test message from the custody institution audit system, sent by %(name)s") % {
            "name": actor.get_full_name()
        }
    delivery = Delivery.objects.create(
        channel=Delivery.Channel.WEBHOOK,
        organisation=organisation,
        # Each test is its own message (a webhook key is sent once per organisation).
        key=f"robot-test:{now.isoformat()}:{secrets.token_hex(4)}",
        target=channels.robot_target(robot.url),
        subject=subject[:300],
        body=settings.SITE_URL + "/",
        created_at=now,
        next_attempt_at=now,
    )
    _queue(delivery)
    return delivery


@transaction.atomic
def calendar_feed_reset(*, user: User) -> str:
    """A new secret calendar address for ``user`` (the old one stops working). Returns the token,
    which is shown once: only its hash is kept."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": token_hash(token),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    return token
