"""Writes on monthly status reports. Each function is atomic, takes the acting user, stamps times
from the server clock and writes the history with a reason.

Who may write, and when, is the report policy's (``inspections/policies/reports.py``): the
institution's own accounts draft, submit, explain and amend their reports; the placing station's
staff (and administrators) accept or return them. Pages check scope first (404); these functions
refuse a write by someone without the right (PermissionDenied) or at the wrong time
(ValidationError with the reason).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from inspections.models import Institution, MonthlyReport, MonthlyReportLine, ResidentCategory
from inspections.models.reports import FIGURES, due_date
from inspections.policies import report_policy


def _locked(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update().get(pk=report.pk)


def _figures(lines: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Every category with every figure, none negative (the database refuses them too)."""
    clean = {}
    for category in ResidentCategory:
        values = lines.get(category, {})
        row = {}
        for name in FIGURES:
            value = values.get(name) or 0
            if value < 0:
                raise ValidationError(_("Figures cannot be negative."))
            row[name] = int(value)
        clean[category] = row
    return clean


def _write_lines(report: MonthlyReport, lines: dict, *, actor: User, reason: str) -> None:
    existing = {line.category: line for line in report.lines.all()}
    for category, values in _figures(lines).items():
        line = existing.get(category) or MonthlyReportLine(report=report, category=category)
        changed = line.pk is None or any(getattr(line, k) != v for k, v in values.items())
        for name, value in values.items():
            setattr(line, name, value)
        if changed:
            save_audited(line, actor=actor, reason=reason)


def _details(report: MonthlyReport, staff_on_duty: int, notes: str) -> None:
    if staff_on_duty is None or staff_on_duty < 0:
        raise ValidationError({"staff_on_duty": _("Figures cannot be negative.")})
    report.staff_on_duty = staff_on_duty
    report.notes = (notes or "").strip()


@transaction.atomic
def report_save_draft(
    *,
    institution: Institution,
    month: datetime.date,
    actor: User,
    lines: dict[str, dict[str, int]],
    staff_on_duty: int,
    notes: str = "",
) -> MonthlyReport:
    """Create or update the institution's draft for ``month`` (a returned report too)."""
    month = month.replace(day=1)
    # One report per institution and month: two first drafts sent at once queue on the
    # institution's row, so the second finds the first's report instead of failing on the
    # once-a-month constraint.
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    report = (
        MonthlyReport.objects.select_for_update()
        .filter(institution=institution, month=month)
        .first()
    ) or MonthlyReport(
        institution=institution, month=month, due_on=due_date(month), created_by=actor
    )
    report_policy.require("edit", actor, report)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("A month that has not begun cannot be reported.")})
    _details(report, staff_on_duty, notes)
    reason = _("Draft saved") if report.pk is None else _("Draft changed")
    save_audited(report, actor=actor, reason=reason)
    _write_lines(report, lines, actor=actor, reason=reason)
    return report


@transaction.atomic
def report_submit(*, report: MonthlyReport, actor: User, explanation: str = "") -> MonthlyReport:
    """Send the report to the placing station. Discrepancies do not block it; they stay
    flagged until explained. The first submission fixes whether it was on time."""
    report = _locked(report)
    report_policy.require("submit", actor, report)
    now = timezone.now()
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.days_late = max((timezone.localdate(now) - report.due_on).days, 0)
    report.submitted_at = now
    report.submitted_by = actor
    report.explanation = (explanation or "").strip() or report.explanation
    resubmitted = report.status == MonthlyReport.Status.RETURNED
    report.status = MonthlyReport.Status.SUBMITTED
    reason = _("Resubmitted after correction") if resubmitted else _("Submitted")
    return save_audited(report, actor=actor, reason=reason)


@transaction.atomic
def report_explain(*, report: MonthlyReport, actor: User, explanation: str) -> MonthlyReport:
    """Explain a discrepancy after submission (an incident reported later, for instance)."""
    report = _locked(report)
    report_policy.require("explain", actor, report)
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": _("Say what explains the difference.")})
    report.explanation = explanation
    return save_audited(report, actor=actor, reason=_("Discrepancy explained"))


@transaction.atomic
def report_review(
    *, report: MonthlyReport, actor: User, accept: bool, reason: str = ""
) -> MonthlyReport:
    """The placing station accepts the report, or returns it with a reason."""
    report = _locked(report)
    report_policy.require("review", actor, report)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    report.status = MonthlyReport.Status.ACCEPTED if accept else MonthlyReport.Status.RETURNED
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.return_reason = "" if accept else reason
    history_reason = (
        _("Accepted by the placing station")
        if accept
        else _("Returned: %(reason)s") % {"reason": reason}
    )
    if accept and reason:
        history_reason = _("Accepted: %(reason)s") % {"reason": reason}
    return save_audited(report, actor=actor, reason=history_reason)


@transaction.atomic
def report_amend(
    *,
    report: MonthlyReport,
    actor: User,
    reason: str,
    lines: dict[str, dict[str, int]],
    staff_on_duty: int,
    notes: str = "",
    explanation: str = "",
) -> MonthlyReport:
    """Correct an accepted report. The figures change in place (the history keeps the earlier
    ones with the reason) and the report goes back to the station for review."""
    report = _locked(report)
    report_policy.require("amend", actor, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("An amendment must give its reason.")})
    history_reason = _("Amendment: %(reason)s") % {"reason": reason}
    _details(report, staff_on_duty, notes)
    report.explanation = (explanation or "").strip() or report.explanation
    report.amendment_count += 1
    report.amendment_reason = reason
    report.status = MonthlyReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    save_audited(report, actor=actor, reason=history_reason)
    _write_lines(report, lines, actor=actor, reason=history_reason)
    return report
