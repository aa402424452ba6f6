"""Monthly status reports (DOMAIN §3, 托养人员基本情况月报): each institution with an active custody
agreement reports, every month, the residents at the start, the movements during the month and
the residents at the end, one line per resident category, to the placing station.

A report is a draft until the institution submits it; the placing station accepts it or returns
it with a reason. A correction after acceptance is an amendment with a reason: the figures change
in place, the history keeps every earlier version with who, when and why, and the report goes
back to the station for review.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit_portal.core.models import Regulated
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.models.registry import Institution, ResidentCategory

# The movements of a month, in the order of the form and the ledger.
FIGURES = ("start", "admitted", "discharged", "hospital", "died", "missing", "end", "long_stay")


def long_stay_label() -> str:
    """The long-stay column's name, after the area's rule (滞留超过3个月 by default)."""
    return _("staying over %(months)d months") % {"months": rules().long_stay_months}


def due_date(month: datetime.date) -> datetime.date:
    """The day the report for ``month`` is due: the area's day (clamped to the month's length)
    of the reported month or the next, by default the reported month's last day (每月底)."""
    r = rules()
    target = add_months(month.replace(day=1), r.monthly_report_due_month_offset)
    last = calendar.monthrange(target.year, target.month)[1]
    day = last if r.monthly_report_due_day is None else min(r.monthly_report_due_day, last)
    return target.replace(day=day)


def last_due_month(on: datetime.date) -> datetime.date:
    """The latest month whose report was due before ``on`` (the due day itself is on time)."""
    month = on.replace(day=1)
    while due_date(month) >= on:
        month = add_months(month, -1)
    return month


class MonthlyReport(Regulated):
    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        SUBMITTED = "submitted", gettext_lazy("Submitted, awaiting review")
        RETURNED = "returned", gettext_lazy("Returned for correction")
        ACCEPTED = "accepted", gettext_lazy("Accepted")

    # Statuses the institution may still change the figures in.
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    institution = models.ForeignKey(
        Institution,
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField(gettext_lazy("month"), help_text=gettext_lazy("First day of it."))
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Fixed when the report is created, so a later change of the rule does not make an old
    # report late or on time after the fact.
    due_on = models.DateField(gettext_lazy("due on"))
    staff_on_duty = models.PositiveIntegerField(gettext_lazy("staff on duty"), default=0)
    notes = models.TextField(gettext_lazy("notes"), blank=True)
    # The institution's explanation of a figure that does not add up or does not match the
    # incident records; a discrepancy is flagged until it is explained.
    explanation = models.TextField(gettext_lazy("explanation of the discrepancies"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)
    # Punctuality is judged on the first submission; a resubmission after a return keeps it.
    first_submitted_at = models.DateTimeField(
        gettext_lazy("first submitted at"), null=True, blank=True
    )
    days_late = models.PositiveIntegerField(gettext_lazy("days late"), default=0)
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(gettext_lazy("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(gettext_lazy("reason for returning"), blank=True)
    amendment_count = models.PositiveIntegerField(gettext_lazy("amendments"), default=0)
    amendment_reason = models.TextField(gettext_lazy("reason for the last amendment"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("monthly status report")
        verbose_name_plural = gettext_lazy("monthly status reports")
        ordering = ["-month", "institution__name"]
        permissions = [("review_monthlyreport", gettext_lazy("Can review monthly reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "month"], name="inspections_monthlyreport_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_submitted_at__isnull=False),
                name="inspections_monthlyreport_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="inspections_monthlyreport_return_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(amendment_count=0) | ~Q(amendment_reason=""),
                name="inspections_monthlyreport_amendment_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(staff_on_duty__gte=0) & Q(days_late__gte=0),
                name="inspections_monthlyreport_not_negative",
            ),
        ]
        indexes = [
            # Punctuality and the late list: reports of a month by status.
            models.Index(fields=["month", "status"], name="inspections_report_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.month:%Y-%m}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("A report covers a calendar month.")})

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_received(self) -> bool:
        return self.first_submitted_at is not None

    @property
    def is_late(self) -> bool:
        return self.days_late > 0


class MonthlyReportLine(Regulated):
    """One resident category's figures in a report."""

    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=gettext_lazy("report"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    category = models.CharField(
        gettext_lazy("category"), max_length=20, choices=ResidentCategory.choices
    )
    start = models.PositiveIntegerField(gettext_lazy("at the start of the month"), default=0)
    admitted = models.PositiveIntegerField(gettext_lazy("admitted"), default=0)
    discharged = models.PositiveIntegerField(gettext_lazy("discharged or returned home"), default=0)
    hospital = models.PositiveIntegerField(gettext_lazy("sent to hospital"), default=0)
    died = models.PositiveIntegerField(gettext_lazy("died"), default=0)
    missing = models.PositiveIntegerField(gettext_lazy("went missing"), default=0)
    end = models.PositiveIntegerField(gettext_lazy("at the end of the month"), default=0)
    long_stay = models.PositiveIntegerField(
        # Read when shown, so it follows the rules; under the default rules it is the text the
        # migrations hold.
        lazy(long_stay_label, str)(),
        default=0,
        help_text=gettext_lazy("Residents who need an identity search and settlement."),
    )

    class Meta:
        verbose_name = gettext_lazy("monthly report line")
        verbose_name_plural = gettext_lazy("monthly report lines")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "category"], name="inspections_monthlyreportline_one_per_category"
            ),
            models.CheckConstraint(
                condition=Q(start__gte=0)
                & Q(admitted__gte=0)
                & Q(discharged__gte=0)
                & Q(hospital__gte=0)
                & Q(died__gte=0)
                & Q(missing__gte=0)
                & Q(end__gte=0)
                & Q(long_stay__gte=0),
                name="inspections_monthlyreportline_not_negative",
            ),
            # The long stayers are among the residents at the end of the month.
            models.CheckConstraint(
                condition=Q(long_stay__lte=F("end")),
                name="inspections_monthlyreportline_long_stay_within_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_category_display()}"

    def clean(self) -> None:
        if self.long_stay is not None and self.end is not None and self.long_stay > self.end:
            # Translators: the long stay is over %(months)d months (the Chinese names it).
            message = _("More long-stay residents than residents at the end.")
            raise ValidationError({"long_stay": message % {"months": rules().long_stay_months}})

    def expected_end(self, *, hospital_counts_as_out: bool) -> int:
        out = self.discharged + self.died + self.missing
        if hospital_counts_as_out:
            out += self.hospital
        return self.start + self.admitted - out
