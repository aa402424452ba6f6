"""Notifications, their deliveries, each user's choices, the organisations' group robots and the
personal calendar feeds."""

import hashlib
import logging

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit_portal.core.models import Regulated
from audit_portal.notices.kinds import Kind, Mode

logger = logging.getLogger(__name__)


class Notification(models.Model):
    """Something one person should know, shown in the application and, by their choice, mailed.

    The text is kept as its English message and parameters and translated when shown, so each
    reader sees it in their language. ``key`` names the event (``issue:12:raised``, a reminder's
    ``issue:12:deadline:3``): a person gets each key once, however often the event is sent again.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(_("key"), max_length=200)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set when the notification went out in a daily digest (users who chose the digest).
    digested_at = models.DateTimeField(_("in the digest of"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A reminder run twice on one day, or an event sent again, reaches nobody twice.
            models.UniqueConstraint(
                fields=["recipient", "key"], name="notices_notification_once_per_key"
            ),
        ]
        indexes = [
            # The notification list: one person's, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notices_list_idx"),
            # The header's unread count reads only the unread rows.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notices_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The message in the active language, its parameters filled in."""
        try:
            return gettext(self.message) % self.params
        except (KeyError, TypeError, ValueError):
            logger.warning("notification %s: message and parameters do not match", self.pk)
            return gettext(self.message)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """One message sent outside the application: a mail about one notification, a daily digest,
    or a group-robot message for an organisation. Retried with back-off when it fails; the log
    shows every attempt's outcome."""

    class Channel(models.TextChoices):
        MAIL = "mail", _("Mail")
        DIGEST = "digest", _("Daily digest")
        WEBHOOK = "webhook", _("Group robot")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Delivered")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed, given up")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices, blank=True)
    # The event's key (webhooks: one message per organisation and event; digests: the day).
    key = models.CharField(_("key"), max_length=200)
    # Where it went: the mail address or the robot's host (never the robot's secret URL).
    target = models.CharField(_("sent to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=Q(notification__isnull=False),
                name="notices_delivery_once_per_notification",
            ),
            models.UniqueConstraint(
                fields=["organisation", "key"],
                condition=Q(channel="webhook"),
                name="notices_delivery_webhook_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=Q(channel="digest"),
                name="notices_delivery_digest_once_per_day",
            ),
        ]
        indexes = [
            # The delivery log, newest first, and the retry sweep over the unfinished ones.
            models.Index(fields=["-created_at", "-id"], name="notices_delivery_log_idx"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "retrying"]),
                name="notices_delivery_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}: {self.subject}"


class Preference(models.Model):
    """How one person wants one kind of notification: in-app only, mail at once, or the daily
    digest. No row means the kind's default (``kinds.default_mode``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notice_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    mode = models.CharField(_("delivery"), max_length=10, choices=Mode.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notices_preference_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} → {self.get_mode_display()}"


class GroupRobot(Regulated):
    """An organisation's work-group robot (enterprise WeChat or DingTalk): every notification to
    a member of the organisation is also posted to the group, once per event."""

    class Flavour(models.TextChoices):
        WECOM = "wecom", _("Enterprise WeChat group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="group_robot",
    )
    flavour = models.CharField(_("kind"), max_length=10, choices=Flavour.choices)
    url = models.URLField(_("robot address"), max_length=500)
    active = models.BooleanField(_("active"), default=True)

    REASON_REQUIRED = False

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_flavour_display()}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's secret calendar address. Only the token's hash is kept: the address is shown
    once, when it is made; resetting it makes a new one and the old one stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
