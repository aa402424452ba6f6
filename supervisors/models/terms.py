"""Terms of appointment.

Counting (DOMAIN "Counting", Civil Code arts. 201–202): a five-year term appointed on
2021-03-01 starts that day and *reaches its end* (届满) on 2026-03-01, the corresponding day of
the fifth year, which still belongs to the term; from 2026-03-02 the supervisor has no access.
An early end (resignation, dismissal) takes effect on ``terminated_on``: no access from that day.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit_portal.core.models import Regulated
from audit_portal.rules import rules
from inspections.dates import add_years


class Term(Regulated):
    class EndKind(models.TextChoices):
        RESIGNATION = "resignation", gettext_lazy("Resignation")
        DISMISSAL = "dismissal", gettext_lazy("Dismissal")

    # By name: the supervisor's record asks for its running term (Supervisor.term_on).
    supervisor = models.ForeignKey(
        "supervisors.Supervisor",
        verbose_name=gettext_lazy("supervisor"),
        on_delete=models.PROTECT,
        related_name="terms",
    )
    appointment = models.OneToOneField(
        "supervisors.Appointment",
        on_delete=models.PROTECT,
        related_name="term",
        null=True,
        blank=True,
    )
    number = models.PositiveSmallIntegerField(gettext_lazy("term number"))
    consecutive_number = models.PositiveSmallIntegerField(
        gettext_lazy("consecutive term number"), default=1
    )
    starts_on = models.DateField(gettext_lazy("appointment date"))
    last_day = models.DateField(gettext_lazy("term ends on"))
    terminated_on = models.DateField(gettext_lazy("ended early on"), null=True, blank=True)
    end_kind = models.CharField(
        gettext_lazy("early end"), max_length=12, choices=EndKind.choices, blank=True
    )
    end_reason = models.TextField(gettext_lazy("reason for early end"), blank=True)
    undertaking_accepted_at = models.DateTimeField(
        gettext_lazy("confidentiality undertaking accepted at"), null=True, blank=True
    )
    undertaking_version = models.CharField(
        gettext_lazy("undertaking version"), max_length=20, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("term")
        verbose_name_plural = gettext_lazy("terms")
        ordering = ["supervisor", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "number"], name="supervisors_term_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("starts_on")),
                name="supervisors_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | ~Q(end_reason=""),
                name="supervisors_term_early_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s, term %(number)d (%(start)s – %(end)s)") % {
            "name": self.supervisor,
            "number": self.number,
            "start": self.starts_on.isoformat(),
            "end": self.effective_last_day.isoformat(),
        }

    @staticmethod
    def last_day_for(starts_on: datetime.date) -> datetime.date:
        """The day the term reaches its end (届满, included): the same day five years later."""
        return add_years(starts_on, rules().supervisor_term_years)

    @staticmethod
    def active_q(day: datetime.date, prefix: str = "") -> Q:
        """Terms running on ``day``, as a filter (``prefix`` for lookups through a relation)."""
        return Q(**{f"{prefix}starts_on__lte": day, f"{prefix}last_day__gte": day}) & (
            Q(**{f"{prefix}terminated_on__isnull": True}) | Q(**{f"{prefix}terminated_on__gt": day})
        )

    @property
    def effective_last_day(self) -> datetime.date:
        if self.terminated_on:
            return min(self.last_day, self.terminated_on - datetime.timedelta(days=1))
        return self.last_day

    def is_active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.effective_last_day

    def days_left(self, day: datetime.date) -> int:
        return (self.effective_last_day - day).days
