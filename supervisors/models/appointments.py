"""The appointment procedure (DOMAIN §4): nomination, vetting, the joint meeting's decision and
filing, one candidate at a time, with the vetting's finding on every condition."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit_portal.core.models import Regulated
from supervisors.models.people import Supervisor


class Appointment(Regulated):
    """One run of the appointment procedure for one candidate, step by step (DOMAIN §4)."""

    class Stage(models.TextChoices):
        NOMINATED = "nominated", gettext_lazy("Nominated")
        VETTED = "vetted", gettext_lazy("Vetted")
        DECIDED = "decided", gettext_lazy("Decided by the joint meeting")
        FILED = "filed", gettext_lazy("Appointed and filed")
        TURNED_DOWN = "turned_down", gettext_lazy("Turned down")

    supervisor = models.ForeignKey(
        Supervisor,
        verbose_name=gettext_lazy("supervisor"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    stage = models.CharField(
        gettext_lazy("stage"), max_length=12, choices=Stage.choices, default=Stage.NOMINATED
    )
    invited_on = models.DateField(gettext_lazy("invitation date"))
    nomination_note = models.TextField(gettext_lazy("nomination note"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(gettext_lazy("nominated at"), default=timezone.now)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    vetted_at = models.DateTimeField(gettext_lazy("vetted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(gettext_lazy("decision recorded at"), null=True, blank=True)
    meeting_date = models.DateField(gettext_lazy("joint meeting date"), null=True, blank=True)
    minutes_reference = models.CharField(
        gettext_lazy("minutes reference"), max_length=80, blank=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    filed_at = models.DateTimeField(gettext_lazy("filed at"), null=True, blank=True)
    employer_notified_on = models.DateField(
        gettext_lazy("employer notified on"), null=True, blank=True
    )
    filing_number = models.CharField(gettext_lazy("filing number"), max_length=80, blank=True)
    turned_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    turned_down_at = models.DateTimeField(gettext_lazy("turned down at"), null=True, blank=True)
    turned_down_at_stage = models.CharField(
        gettext_lazy("turned down at stage"), max_length=12, choices=Stage.choices, blank=True
    )
    turn_down_reason = models.TextField(gettext_lazy("reason for turning down"), blank=True)
    term_limit_override_reason = models.TextField(
        gettext_lazy("term-limit override reason"), blank=True
    )
    term_limit_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("appointment procedure")
        verbose_name_plural = gettext_lazy("appointment procedures")
        ordering = ["-nominated_at"]
        constraints = [
            # One procedure in progress per candidate: the pipeline shows one row per person.
            models.UniqueConstraint(
                fields=["supervisor"],
                condition=Q(stage__in=["nominated", "vetted", "decided"]),
                name="supervisors_appointment_one_open_per_supervisor",
            ),
            models.CheckConstraint(
                condition=~Q(stage="turned_down") | ~Q(turn_down_reason=""),
                name="supervisors_appointment_turn_down_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s, invited %(date)s") % {
            "name": self.supervisor,
            "date": self.invited_on.isoformat(),
        }

    @property
    def is_open(self) -> bool:
        return self.stage in (self.Stage.NOMINATED, self.Stage.VETTED, self.Stage.DECIDED)

    @property
    def next_step(self) -> str | None:
        return {
            self.Stage.NOMINATED: "vet",
            self.Stage.VETTED: "decide",
            self.Stage.DECIDED: "file",
        }.get(self.stage)


class VettingFinding(Regulated):
    """One condition of DOMAIN §4 as the vetting (考察) found it."""

    class Condition(models.TextChoices):
        CONSTITUTION = "constitution", gettext_lazy("Upholds the Constitution")
        LAW_ABIDING = "law_abiding", gettext_lazy("Abides by the law")
        SUPPORTS_WORK = "supports_work", gettext_lazy("Supports the rescue and custody work")
        EXPERTISE = "expertise", gettext_lazy("Has relevant expertise")
        FAIR = "fair", gettext_lazy("Fair and honest")
        HEALTHY = "healthy", gettext_lazy("In good health")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="findings")
    condition = models.CharField(
        gettext_lazy("condition"), max_length=16, choices=Condition.choices
    )
    met = models.BooleanField(gettext_lazy("met"))
    note = models.TextField(gettext_lazy("note"), blank=True)

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("vetting finding")
        verbose_name_plural = gettext_lazy("vetting findings")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "condition"],
                name="supervisors_vettingfinding_one_per_condition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_condition_display()}: {'✓' if self.met else '✗'}"
