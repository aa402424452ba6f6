"""The working-day calendar administrators maintain for years ``chinese-calendar`` does not know.

The State Council publishes each next year's holiday arrangement (放假安排, with its 调休 make-up
workdays) late in the year; the package follows months later. An administrator enters the
arrangement here: the year, then every day that differs from the plain Monday–Friday rule.
"""

from django.db import models
from django.utils.translation import gettext_lazy

from audit_portal.core.models import Regulated


class WorkCalendarYear(Regulated):
    year = models.PositiveIntegerField(gettext_lazy("year"), unique=True)
    source = models.CharField(
        gettext_lazy("source"),
        max_length=200,
        help_text=gettext_lazy(
            "The notice the arrangement comes from, e.g. 国办发明电〔2026〕X号."
        ),
    )

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("holiday arrangement year")
        verbose_name_plural = gettext_lazy("holiday arrangement years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkCalendarDay(Regulated):
    year = models.ForeignKey(
        WorkCalendarYear,
        verbose_name=gettext_lazy("year"),
        on_delete=models.CASCADE,
        related_name="days",
    )
    day = models.DateField(gettext_lazy("date"), unique=True)
    is_workday = models.BooleanField(
        gettext_lazy("working day"),
        help_text=gettext_lazy("Ticked for a make-up workday (调休), unticked for a holiday."),
    )
    name = models.CharField(gettext_lazy("name"), max_length=60, blank=True)

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("holiday or make-up workday")
        verbose_name_plural = gettext_lazy("holidays and make-up workdays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
