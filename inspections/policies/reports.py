"""Who may do what to a monthly status report, now (see ``audit_portal/core/policy.py``).

The institution's own accounts file their reports: they fill in and change a draft (or a
report returned for correction) and submit it; once submitted they may explain a discrepancy;
an accepted report is corrected by an amendment, which goes back for review. The placing
station's staff (and administrators) review a submitted report: they accept it or return it.

A report not yet saved (``MonthlyReport(institution=…, month=…)``) is a draft: ``edit`` on it
answers whether the user may file the institution's report.
"""

from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.policy import Policy, Refusal, deny, not_now
from inspections.models import MonthlyReport
from inspections.selectors.registry import institutions_for

Status = MonthlyReport.Status


class MonthlyReportPolicy(Policy):
    actions = ("edit", "submit", "explain", "amend", "review")

    # The institution -----------------------------------------------------------------------

    def _owner(self, user: User, report: MonthlyReport) -> Refusal | None:
        """The institution's own accounts, with the role's right to file reports."""
        if (
            user.is_authenticated
            and user.is_institution_user
            and user.institution_id == report.institution_id
            and user.has_perms(
                ["inspections.add_monthlyreport", "inspections.change_monthlyreport"]
            )
        ):
            return None
        return deny()

    def edit(self, user: User, report: MonthlyReport) -> Refusal | None:
        """File the figures: a new report, a draft, or a report returned for correction."""
        if refusal := self._owner(user, report):
            return refusal
        if not report.is_editable:
            return not_now(
                _(
                    "This report has been submitted; an accepted report is corrected by an "
                    "amendment."
                )
            )
        return None

    def submit(self, user: User, report: MonthlyReport) -> Refusal | None:
        """Send a draft (or a corrected returned report) with its figures to the station."""
        if refusal := self._owner(user, report):
            return refusal
        if not report.is_editable:
            return not_now(_("This report has already been submitted."))
        if report.pk is None or not report.lines.exists():
            return not_now(_("Fill in the figures before submitting."))
        return None

    def explain(self, user: User, report: MonthlyReport) -> Refusal | None:
        """Explain a discrepancy after submission (a draft carries its explanation with the
        submission)."""
        if refusal := self._owner(user, report):
            return refusal
        if not report.is_received:
            return not_now(_("Draft: the placing station does not see it until you submit it."))
        return None

    def amend(self, user: User, report: MonthlyReport) -> Refusal | None:
        """Correct an accepted report, with a reason."""
        if refusal := self._owner(user, report):
            return refusal
        if report.status != Status.ACCEPTED:
            return not_now(_("Only an accepted report is amended; edit it instead."))
        return None

    # The placing station -------------------------------------------------------------------

    def review(self, user: User, report: MonthlyReport) -> Refusal | None:
        """Accept a submitted report or return it with a reason: staff with the right to
        review (the placing station, administrators) whose scope includes the institution."""
        if not (
            user.has_perm("inspections.review_monthlyreport")
            and institutions_for(user).filter(pk=report.institution_id).exists()
        ):
            return deny()
        if report.status != Status.SUBMITTED:
            return not_now(_("Only a submitted report can be reviewed."))
        return None


report_policy = MonthlyReportPolicy()
