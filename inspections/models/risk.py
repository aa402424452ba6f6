"""The risk dashboard's figures, one row per institution, so that the dashboard and the staff
home read a page of rows instead of counting issues, inspections, reports and incidents per
institution on every request (~36 subqueries per row at city scale)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class InstitutionRiskQuerySet(models.QuerySet):
    def needing_count(self, on) -> "InstitutionRiskQuerySet":
        """Rows counted for an earlier day, or whose records changed since they were counted."""
        return self.filter(Q(counted_on__lt=on) | Q(changed_at__gte=F("counted_at")))


class InstitutionRisk(models.Model):
    """The figures of one institution as of ``counted_on``, kept by ``inspections.services.risk``.

    Not a record anyone edits, so no history: it is recounted from the records. A change to any
    record the figures come from stamps ``changed_at`` (a signal, whatever the code path) and the
    next page that shows the row recounts it; figures that move with the date alone (overdue
    issues, the inspection going stale, a report becoming missing, the incident window) are
    recounted for every institution once a day by the worker. A count that started before a
    change stays stale (``changed_at`` ≥ ``counted_at``), so a write during a count is not lost.
    """

    institution = models.OneToOneField(
        "inspections.Institution",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="risk",
        verbose_name=_("institution"),
    )
    counted_on = models.DateField(_("figures as of"))
    counted_at = models.DateTimeField(_("counted at"))
    changed_at = models.DateTimeField(_("records changed at"), null=True, blank=True)
    score = models.FloatField(_("risk score"), default=0)
    is_eligible = models.BooleanField(_("eligible"), default=False)
    open_issues = models.PositiveIntegerField(default=0)
    overdue_issues = models.PositiveIntegerField(default=0)
    last_inspection = models.DateField(null=True, blank=True)
    last_visit = models.DateField(null=True, blank=True)
    last_report_month = models.DateField(null=True, blank=True)
    latest_report = models.ForeignKey(
        "inspections.MonthlyReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    latest_report_flagged = models.BooleanField(default=False)
    missing_reports = models.PositiveIntegerField(default=0)
    owes_visit_last_month = models.BooleanField(default=False)
    visited_last_month = models.BooleanField(default=False)
    has_active_agreement = models.BooleanField(default=False)
    residents = models.PositiveIntegerField(default=0)
    incident_count = models.PositiveIntegerField(default=0)
    death_count = models.PositiveIntegerField(default=0)
    incident_rate = models.FloatField(null=True, blank=True)

    objects = InstitutionRiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution risk figures")
        verbose_name_plural = _("institution risk figures")
        indexes = [
            # The dashboard and the staff home: ORDER BY score DESC, institution LIMIT n.
            models.Index(fields=["-score", "institution"], name="inspections_risk_by_score"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.score} ({self.counted_on})"


class IssueTally(models.Model):
    """How many issues an institution has in one area and severity, as of ``counted_on``: the
    issue ledger's count tables read these (a few rows per institution) instead of grouping
    every issue in scope. Counted with the institution's risk figures, and as fresh as they are
    (the ledger counts from the issues themselves while they are not)."""

    institution = models.ForeignKey(
        "inspections.Institution", on_delete=models.CASCADE, related_name="+"
    )
    area = models.CharField(max_length=32)
    severity = models.CharField(max_length=16)
    counted_on = models.DateField()
    total = models.PositiveIntegerField(default=0)
    unclosed = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    # Not closed and past the deadline on ``counted_on``; of which waiting for verification.
    overdue = models.PositiveIntegerField(default=0)
    overdue_submitted = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "area", "severity"],
                name="inspections_issuetally_one_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.area} {self.severity}: {self.total}"
