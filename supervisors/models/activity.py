"""What supervisors do besides supervising: trainings and symposiums, complaints from the public
they forward and their suggestions."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from audit_portal.core.audit_chain import HistoryChain
from audit_portal.core.models import Regulated
from supervisors.models.people import Supervisor


class Event(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", gettext_lazy("Training")
        SYMPOSIUM = "symposium", gettext_lazy("Symposium")

    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(gettext_lazy("title"), max_length=120)
    held_on = models.DateField(gettext_lazy("held on"))
    place = models.CharField(gettext_lazy("place"), max_length=120, blank=True)
    attendees = models.ManyToManyField(
        Supervisor, verbose_name=gettext_lazy("attendees"), related_name="events", blank=True
    )

    history = HistoricalRecords(
        m2m_fields=[attendees], bases=[HistoryChain], m2m_bases=[HistoryChain]
    )

    class Meta:
        verbose_name = gettext_lazy("training or symposium")
        verbose_name_plural = gettext_lazy("trainings and symposiums")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Complaint(Regulated):
    """A complaint from the public that a supervisor forwards to civil affairs."""

    class Status(models.TextChoices):
        FORWARDED = "forwarded", gettext_lazy("Forwarded")
        HANDLING = "handling", gettext_lazy("Being handled")
        CLOSED = "closed", gettext_lazy("Handled and closed")

    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="complaints")
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_on = models.DateField(gettext_lazy("received on"))
    summary = models.TextField(pgettext_lazy("supervisors", "summary"))
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.FORWARDED
    )
    handling_note = models.TextField(gettext_lazy("handling"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("forwarded at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("forwarded complaint")
        verbose_name_plural = gettext_lazy("forwarded complaints")
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} {self.summary[:30]}"


class Suggestion(Regulated):
    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="suggestions")
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    made_on = models.DateField(gettext_lazy("made on"))
    text = models.TextField(gettext_lazy("suggestion"))
    response = models.TextField(gettext_lazy("response"), blank=True)

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("suggestion")
        verbose_name_plural = gettext_lazy("suggestions")
        ordering = ["-made_on"]

    def __str__(self) -> str:
        return f"{self.made_on:%Y-%m-%d} {self.text[:30]}"
