"""The staged reports of an incident (DOMAIN §5): initial, follow-ups, final, and amendments
that supersede a report without erasing it. The stages, the narrative fields each one carries
and the figures every one of them gives.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit_portal.core.models import Regulated
from incidents.models.incidents import Incident


class Stage(models.TextChoices):
    INITIAL = "initial", gettext_lazy("Initial report")
    FOLLOWUP = "followup", gettext_lazy("Follow-up report")
    FINAL = "final", gettext_lazy("Final report")


FIGURES = ("deaths", "serious_injuries", "direct_loss", "missing_count")

# The narrative fields each stage must carry (DOMAIN §5); the figures come with every stage.
STAGE_FIELDS = {
    Stage.INITIAL: (
        "place",
        "source",
        "account",
        "impact_scope",
        "damage_estimate",
        "onsite_rescue",
        "measures",
    ),
    Stage.FOLLOWUP: (
        "casualties",
        "latest_impact",
        "major_changes",
        "measures_effect",
        "next_steps",
    ),
    Stage.FINAL: ("event_time", "cause", "course", "injured_count", "injury_severity", "handling"),
}
NARRATIVE_FIELDS = tuple(name for names in STAGE_FIELDS.values() for name in names)


class Report(Regulated):
    """One submitted stage. Never edited: a correction is a new row that ``amends`` it, with a
    reason; the amended row stays readable and is marked superseded."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    stage = models.CharField(gettext_lazy("stage"), max_length=10, choices=Stage.choices)
    amends = models.OneToOneField(
        "self",
        verbose_name=gettext_lazy("amends"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
    )
    amendment_reason = models.TextField(gettext_lazy("reason for the amendment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"))

    # Initial report.
    place = models.CharField(gettext_lazy("place"), max_length=200, blank=True)
    source = models.CharField(gettext_lazy("source of the information"), max_length=200, blank=True)
    account = models.TextField(gettext_lazy("brief account"), blank=True)
    impact_scope = models.TextField(gettext_lazy("scope of impact"), blank=True)
    damage_estimate = models.TextField(gettext_lazy("first estimate of damage"), blank=True)
    onsite_rescue = models.TextField(gettext_lazy("rescue on site"), blank=True)
    measures = models.TextField(gettext_lazy("measures taken"), blank=True)
    # Follow-up report.
    casualties = models.TextField(gettext_lazy("casualties"), blank=True)
    latest_impact = models.TextField(gettext_lazy("latest impact"), blank=True)
    major_changes = models.TextField(gettext_lazy("major changes"), blank=True)
    measures_effect = models.TextField(gettext_lazy("effect of the measures"), blank=True)
    next_steps = models.TextField(gettext_lazy("next steps"), blank=True)
    # Final report.
    event_time = models.DateTimeField(gettext_lazy("time of the incident"), null=True, blank=True)
    cause = models.TextField(gettext_lazy("cause"), blank=True)
    course = models.TextField(gettext_lazy("course of events"), blank=True)
    injured_count = models.PositiveIntegerField(
        gettext_lazy("number injured"), null=True, blank=True
    )
    injury_severity = models.TextField(gettext_lazy("how badly injured"), blank=True)
    handling = models.TextField(gettext_lazy("how it was handled"), blank=True)
    # Figures, in every stage: the totals known when the report was made.
    deaths = models.PositiveIntegerField(gettext_lazy("deaths"))
    serious_injuries = models.PositiveIntegerField(gettext_lazy("serious injuries"))
    direct_loss = models.DecimalField(
        gettext_lazy("direct loss (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    missing_count = models.PositiveIntegerField(gettext_lazy("missing persons"))

    class Meta:
        verbose_name = gettext_lazy("incident report")
        verbose_name_plural = gettext_lazy("incident reports")
        ordering = ["submitted_at", "pk"]
        constraints = [
            # An amendment always says why; an original never carries a reason.
            models.CheckConstraint(
                condition=(
                    Q(amends__isnull=True, amendment_reason="")
                    | (Q(amends__isnull=False) & ~Q(amendment_reason=""))
                ),
                name="incidents_report_amendment_has_reason",
            ),
            # One original initial report and one original final report per incident.
            models.UniqueConstraint(
                fields=["incident", "stage"],
                condition=Q(amends__isnull=True, stage__in=["initial", "final"]),
                name="incidents_report_one_initial_one_final",
            ),
            models.CheckConstraint(
                condition=Q(direct_loss__gte=0), name="incidents_report_loss_not_negative"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_stage_display()
        if self.amends_id:
            label = _("%(stage)s (amendment)") % {"stage": label}
        return f"{label} · {timezone.localtime(self.submitted_at):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if not self.stage:
            return
        missing = {}
        for name in STAGE_FIELDS[Stage(self.stage)]:
            value = getattr(self, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                missing[name] = _("This report must say it.")
        if missing:
            raise ValidationError(missing)
        other = set(NARRATIVE_FIELDS) - set(STAGE_FIELDS[Stage(self.stage)])
        stray = [name for name in other if getattr(self, name) not in (None, "")]
        if stray:
            raise ValidationError(_("A report carries only the fields of its own stage."))
        if self.amends_id and self.amends.stage != self.stage:
            raise ValidationError(_("An amendment corrects a report of the same stage."))

    @property
    def is_superseded(self) -> bool:
        # A page that read every version of the incident says so on each (``superseded``)
        # instead of a query per version.
        known = getattr(self, "superseded", None)
        if known is not None:
            return known
        return hasattr(self, "amended_by")

    @property
    def due_at(self) -> datetime.datetime | None:
        """When this stage was due: the initial report within the hour, the final report by the
        end of its working-day deadline once the incident was declared over. A follow-up falls
        due with a change in casualties (``CasualtyChange.report_due_at``), and an amendment
        corrects a report rather than falling due."""
        if self.amends_id:
            return None
        if self.stage == Stage.INITIAL:
            return self.incident.initial_due_at
        if self.stage == Stage.FINAL:
            return self.incident.final_due_at()
        return None

    @property
    def late_by(self) -> datetime.timedelta | None:
        due = self.due_at
        if due is None or self.submitted_at <= due:
            return None
        return self.submitted_at - due

    def narrative(self) -> list[tuple[str, object]]:
        """(label, value) of the stage's own fields, then the figures, for pages and the PDF."""
        names = [*STAGE_FIELDS[Stage(self.stage)], *FIGURES]
        return [(self._meta.get_field(n).verbose_name, getattr(self, n)) for n in names]
