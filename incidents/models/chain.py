"""The chain around the staged reports (DOMAIN §5, Order 493): each report forwarded upward
level by level (逐级上报), the relevant safety regulators told, and changes in casualties that
demand a supplementary report.

Server-stamped times are those the system relies on (recorded, forwarded); a time someone types
is a fact of the event (when a regulator was told by phone).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.models import Regulated
from audit_portal.rules import rules
from incidents.models.incidents import Incident
from incidents.models.reports import Report


class Regulator(models.TextChoices):
    """相关安全监督管理部门."""

    FIRE_RESCUE = "fire_rescue", gettext_lazy("Fire and rescue")
    EMERGENCY_MANAGEMENT = "emergency_management", gettext_lazy("Emergency management")
    MARKET_SUPERVISION = "market_supervision", gettext_lazy("Market supervision (food safety)")
    HEALTH = "health", gettext_lazy("Health commission")
    POLICE = "police", gettext_lazy("Public security (police)")


def regulators_required(kind: str) -> tuple[str, ...]:
    """The regulators an incident of ``kind`` is reported to (``rules.incident_regulators``)."""
    return tuple(rules().incident_regulators.get(kind, ()))


class Channel(models.TextChoices):
    SYSTEM = "system", gettext_lazy("This system")
    PHONE = "phone", gettext_lazy("Telephone")
    FAX = "fax", gettext_lazy("Fax")
    DOCUMENT = "document", gettext_lazy("Official document")
    PLATFORM = "platform", gettext_lazy("Provincial reporting platform")
    OTHER = "other", gettext_lazy("Other")


class Forwarding(Regulated):
    """One report sent one level up: the county bureau to the city bureau, or the city bureau
    to the province (an external recipient: its name, the channel and a reference number).
    Each is due within ``incident_forwarding_minutes`` of the level receiving the report."""

    class Level(models.TextChoices):
        TO_CITY = "to_city", gettext_lazy("County bureau to city bureau")
        TO_PROVINCE = "to_province", gettext_lazy("City bureau to the province")

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="forwardings",
    )
    report = models.ForeignKey(
        Report,
        verbose_name=gettext_lazy("report"),
        on_delete=models.PROTECT,
        related_name="forwardings",
    )
    level = models.CharField(gettext_lazy("level"), max_length=12, choices=Level.choices)
    sender = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("forwarded by (organisation)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The city bureau for TO_CITY; none for the province, named in ``recipient_name``.
    recipient = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("forwarded to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_name = models.CharField(gettext_lazy("recipient"), max_length=120, blank=True)
    channel = models.CharField(
        gettext_lazy("channel"), max_length=10, choices=Channel.choices, default=Channel.SYSTEM
    )
    reference = models.CharField(gettext_lazy("reference number"), max_length=60, blank=True)
    # When this level received the report: the clock's start (server times).
    received_at = models.DateTimeField(pgettext_lazy("incident forwarding", "received at"))
    forwarded_at = models.DateTimeField(pgettext_lazy("incident forwarding", "forwarded at"))
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("forwarded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("forwarding")
        verbose_name_plural = gettext_lazy("forwardings")
        ordering = ["forwarded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "level"], name="incidents_forwarding_once_per_level"
            ),
            models.CheckConstraint(
                condition=(
                    Q(level="to_city", recipient__isnull=False)
                    | (Q(level="to_province") & ~Q(recipient_name=""))
                ),
                name="incidents_forwarding_names_its_recipient",
            ),
            models.CheckConstraint(
                condition=Q(forwarded_at__gte=models.F("received_at")),
                name="incidents_forwarding_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.report}"

    @property
    def due_at(self) -> datetime.datetime:
        return forwarding_due(self.received_at)

    @property
    def late_by(self) -> datetime.timedelta | None:
        late = self.forwarded_at - self.due_at
        return late if late > datetime.timedelta(0) else None


def forwarding_due(received_at: datetime.datetime) -> datetime.datetime:
    """ "2小时内": on time up to and including the 120th minute."""
    return received_at + datetime.timedelta(minutes=rules().incident_forwarding_minutes)


class RegulatorReport(Regulated):
    """The report to one safety regulator: who told them, when, and their reference."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="regulator_reports",
    )
    regulator = models.CharField(
        gettext_lazy("regulator"), max_length=24, choices=Regulator.choices
    )
    authority = models.CharField(
        gettext_lazy("authority told"), max_length=120, blank=True
    )  # e.g. 东湖区消防救援大队
    notified_at = models.DateTimeField(gettext_lazy("told at"))
    notified_by = models.CharField(gettext_lazy("told by"), max_length=60)
    reference = models.CharField(gettext_lazy("reference number"), max_length=60, blank=True)
    recorded_at = models.DateTimeField(gettext_lazy("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("report to a regulator")
        verbose_name_plural = gettext_lazy("reports to regulators")
        ordering = ["notified_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "regulator"], name="incidents_regulator_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_regulator_display()} · {self.incident}"


class CasualtyChange(Regulated):
    """A change in casualties recorded on an open incident. Within the supplementary window
    (``Incident.followup_window_ends_at``) it demands a supplementary (follow-up) report within
    ``incident_forwarding_minutes``; the next follow-up answers it."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="casualty_changes",
    )
    deaths = models.PositiveIntegerField(gettext_lazy("deaths"))
    serious_injuries = models.PositiveIntegerField(gettext_lazy("serious injuries"))
    missing_count = models.PositiveIntegerField(gettext_lazy("missing persons"))
    what_changed = models.TextField(gettext_lazy("what changed"))
    recorded_at = models.DateTimeField(gettext_lazy("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Whether it fell within the window when recorded: only then is a report demanded.
    demands_report = models.BooleanField(gettext_lazy("demands a supplementary report"))
    answered_by = models.ForeignKey(
        Report,
        verbose_name=gettext_lazy("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("change in casualties")
        verbose_name_plural = gettext_lazy("changes in casualties")
        ordering = ["recorded_at", "pk"]
        indexes = [
            models.Index(
                fields=["recorded_at"],
                condition=Q(demands_report=True, answered_by__isnull=True),
                name="incidents_change_unanswered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident} · {self.what_changed[:40]}"

    @property
    def report_due_at(self) -> datetime.datetime | None:
        if not self.demands_report:
            return None
        return forwarding_due(self.recorded_at)


def regulators_missing(incident: Incident) -> list[str]:
    """The regulators the incident's kind requires that no record says were told (one query;
    a page that prefetched ``regulator_reports`` takes none)."""
    told = {record.regulator for record in incident.regulator_reports.all()}
    return [regulator for regulator in regulators_required(incident.kind) if regulator not in told]
