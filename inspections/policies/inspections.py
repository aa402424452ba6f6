"""Who may do what to an inspection, now (see ``audit_portal/core/policy.py``).

The team conducts it (start, fill in the checklist, submit the draft, close issues on a
re-check); the team's own bureau, or the bureau above it, reviews and finalises; the inspected
institution comments on the facts while the comment period runs.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.policy import Policy, Refusal, deny, not_now
from inspections.models import Inspection
from inspections.selectors.inspections import is_in_team

Status = Inspection.Status


def _in_status(inspection: Inspection, *statuses: str) -> Refusal | None:
    if inspection.status in statuses:
        return None
    return not_now(
        _("This cannot be done while the inspection is “%(status)s”.")
        % {"status": inspection.get_status_display()}
    )


class InspectionPolicy(Policy):
    actions = (
        "start",
        "record",
        "sign",
        "submit",
        "recheck",
        "open_comments",
        "comment",
        "finalise",
        "read_report",
        "read_draft",
    )

    def __init__(self, today: datetime.date | None = None):
        self.today = today

    def _today(self) -> datetime.date:
        return self.today or timezone.localdate()

    # The team ------------------------------------------------------------------------------

    def _team(self, user: User, inspection: Inspection) -> Refusal | None:
        if is_in_team(user, inspection):
            return None
        return deny(_("Only the inspection team may do this."))

    def start(self, user: User, inspection: Inspection) -> Refusal | None:
        return self._team(user, inspection) or _in_status(inspection, Status.PLANNED)

    def record(self, user: User, inspection: Inspection) -> Refusal | None:
        if refusal := self._team(user, inspection) or _in_status(inspection, Status.IN_PROGRESS):
            return refusal
        # What was signed on site stays as it was signed (签字留痕).
        if inspection.signatures.exists():
            return not_now(_("The results have been signed on site; they can no longer change."))
        return None

    def sign(self, user: User, inspection: Inspection) -> Refusal | None:
        """Signatures on site, on a team member's phone, once the results are recorded."""
        return self._team(user, inspection) or _in_status(inspection, Status.IN_PROGRESS)

    def submit(self, user: User, inspection: Inspection) -> Refusal | None:
        return self._team(user, inspection) or _in_status(inspection, Status.IN_PROGRESS)

    def recheck(self, user: User, inspection: Inspection) -> Refusal | None:
        """Close issues on site: only on a re-check, by its team, once started."""
        if refusal := self._team(user, inspection):
            return refusal
        if inspection.kind != Inspection.Kind.RECHECK:
            return not_now(_("Only a re-check closes issues on site."))
        if inspection.status != Status.IN_PROGRESS:
            return not_now(_("Start the re-check before closing issues."))
        return None

    # The reviewing bureau ------------------------------------------------------------------

    def _finaliser(self, user: User, inspection: Inspection) -> Refusal | None:
        """The team's own bureau (or the bureau above it) reviews and finalises its reports."""
        if not user.has_perm("inspections.finalise_inspection"):
            return deny()
        if user.is_admin or is_in_team(user, inspection):
            return None
        lead_org = inspection.lead.organisation
        if lead_org is not None and user.organisation_id in (lead_org.pk, lead_org.parent_id):
            return None
        return deny()

    def open_comments(self, user: User, inspection: Inspection) -> Refusal | None:
        """Send the report to the institution for its comments on the facts: the reviewing
        bureau, or the supervisor who led a supervisor visit (supervisors list the issues they
        find, DOMAIN §4; the bureau still finalises)."""
        led_visit = (
            user.is_authenticated
            and user.role == User.Role.SUPERVISOR
            and inspection.kind == Inspection.Kind.SUPERVISOR_VISIT
            and inspection.lead_id == user.pk
        )
        refusal = None if led_visit else self._finaliser(user, inspection)
        return refusal or _in_status(inspection, Status.SUBMITTED)

    def finalise(self, user: User, inspection: Inspection) -> Refusal | None:
        """Once the institution has commented or its comment period is over."""
        if refusal := self._finaliser(user, inspection) or _in_status(
            inspection, Status.COMMENTING
        ):
            return refusal
        if inspection.comments_open(self._today()) and not inspection.institution_commented_at:
            return not_now(
                _("The institution may comment until %(day)s; finalise after that.")
                % {"day": inspection.comment_deadline}
            )
        return None

    # The inspected institution -------------------------------------------------------------

    def comment(self, user: User, inspection: Inspection) -> Refusal | None:
        if not (user.is_institution_user and user.institution_id == inspection.institution_id):
            return deny()
        if not inspection.comments_open(self._today()):
            return not_now(_("The period for comments on this report has ended."))
        return None

    # Reading -------------------------------------------------------------------------------

    def read_report(self, user: User, inspection: Inspection) -> Refusal | None:
        """The report and the rectification notice, once sent to the institution."""
        return _in_status(inspection, Status.COMMENTING, Status.FINAL)

    def read_draft(self, user: User, inspection: Inspection) -> Refusal | None:
        """The draft report, while the team writes it: not for the institution."""
        if user.is_institution_user:
            return deny()
        return _in_status(inspection, Status.IN_PROGRESS, Status.SUBMITTED)


inspection_policy = InspectionPolicy()
