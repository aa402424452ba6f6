"""Alerts: an incident report brought to the attention of a supervising body."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.models import Regulated
from incidents.models.incidents import Incident
from incidents.models.reports import Report


class Alert(Regulated):
    """An incident report brought to an organisation's attention; read once by anyone there."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    report = models.ForeignKey(
        Report,
        verbose_name=pgettext_lazy("incident", "report"),
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    recipient = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("recipient"),
        on_delete=models.PROTECT,
        related_name="incident_alerts",
    )
    created_at = models.DateTimeField(gettext_lazy("sent at"))
    read_at = models.DateTimeField(gettext_lazy("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("read by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("incident alert")
        verbose_name_plural = gettext_lazy("incident alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recipient"], name="incidents_alert_once_per_report"
            ),
            models.CheckConstraint(
                condition=Q(read_at__isnull=True) | Q(read_by__isnull=False),
                name="incidents_alert_read_has_reader",
            ),
        ]
        indexes = [
            # The alert page and the unread count: an organisation's alerts, newest first.
            models.Index(fields=["recipient", "read_at"], name="incidents_alert_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.report}"
