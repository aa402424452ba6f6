"""What the inspections app tells people when someone acts: the services call these inside
their transaction, after the change (``audit_portal.notices.services.notify``).

Each event has a key naming it once (``issue:12:raised``): sent again, it reaches nobody twice.
Messages are English msgids translated when shown, their parameters the record's number, the
institution's name and days; never a resident. The one who acted is not told of their own act.
"""

from django.urls import reverse
from django.utils.translation import gettext_noop

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from audit_portal.notices.services import notify
from inspections import recipients
from inspections.models import DeadlineExtension, Inspection, Issue, Rectification

# A reason quoted in a notification is cut here: the page shows it whole.
QUOTED = 120


def _quote(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"


def _issue_url(issue: Issue) -> str:
    return reverse("inspections:issue_detail", args=[issue.pk])


def issue_raised(issue: Issue, *, actor: User | None) -> None:
    """The institution's accounts learn of an issue once they can see it: at once for an issue
    raised on its own, when the report is sent for comments for an inspection's issues."""
    notify(
        kind=Kind.ISSUE_RAISED,
        recipients=recipients.others(recipients.institution_accounts(issue.institution), actor),
        key=f"issue:{issue.pk}:raised",
        message=gettext_noop("Issue %(number)s raised at %(institution)s: rectify it by %(day)s."),
        params={
            "number": issue.number,
            "institution": issue.institution.name,
            "day": issue.deadline.isoformat(),
        },
        url=_issue_url(issue),
    )


def report_for_comments(inspection: Inspection, *, actor: User) -> None:
    institution = inspection.institution
    notify(
        kind=Kind.REPORT_FOR_COMMENTS,
        recipients=recipients.others(recipients.institution_accounts(institution), actor),
        key=f"inspection:{inspection.pk}:for_comments",
        message=gettext_noop(
            "The report of the inspection of %(institution)s on %(performed)s is open for your "
            "comments until %(day)s."
        ),
        params={
            "institution": institution.name,
            "performed": (inspection.performed_on or inspection.planned_on).isoformat(),
            "day": inspection.comment_deadline.isoformat(),
        },
        url=reverse("inspections:inspection_detail", args=[inspection.pk]),
    )


def rectification_submitted(rectification: Rectification, *, actor: User) -> None:
    issue = rectification.issue
    notify(
        kind=Kind.RECTIFICATION_SUBMITTED,
        recipients=recipients.others(recipients.issue_verifiers(issue), actor),
        key=f"rectification:{rectification.pk}:submitted",
        message=gettext_noop(
            "%(institution)s reported the rectification of issue %(number)s: it waits for your "
            "verification."
        ),
        params={"institution": issue.institution.name, "number": issue.number},
        url=_issue_url(issue),
    )


def rectification_decided(rectification: Rectification, *, actor: User) -> None:
    issue = rectification.issue
    if rectification.decision == Rectification.Decision.ACCEPTED:
        message = gettext_noop(
            "The rectification of issue %(number)s was accepted: the issue is closed."
        )
    else:
        message = gettext_noop(
            "The rectification of issue %(number)s was rejected: %(reason)s Rectify it by %(day)s."
        )
    notify(
        kind=Kind.RECTIFICATION_DECIDED,
        recipients=recipients.others(recipients.institution_accounts(issue.institution), actor),
        key=f"rectification:{rectification.pk}:decided",
        message=message,
        params={
            "number": issue.number,
            "reason": _quote(rectification.decision_reason),
            "day": issue.deadline.isoformat(),
        },
        url=_issue_url(issue),
    )


def extension_requested(extension: DeadlineExtension, *, actor: User) -> None:
    issue = extension.issue
    notify(
        kind=Kind.EXTENSION_REQUESTED,
        recipients=recipients.others(recipients.issue_verifiers(issue, staff_only=True), actor),
        key=f"extension:{extension.pk}:requested",
        message=gettext_noop(
            "%(institution)s asks for the deadline of issue %(number)s to move from %(before)s "
            "to %(day)s."
        ),
        params={
            "institution": issue.institution.name,
            "number": issue.number,
            "before": extension.deadline_before.isoformat(),
            "day": extension.requested_deadline.isoformat(),
        },
        url=_issue_url(issue),
    )


def extension_decided(extension: DeadlineExtension, *, actor: User) -> None:
    issue = extension.issue
    if extension.decision == DeadlineExtension.Decision.APPROVED:
        message = gettext_noop("The deadline of issue %(number)s was extended to %(day)s.")
    else:
        message = gettext_noop(
            "The request to extend the deadline of issue %(number)s was refused: %(reason)s "
            "The deadline stays %(day)s."
        )
    notify(
        kind=Kind.EXTENSION_DECIDED,
        recipients=recipients.others(recipients.institution_accounts(issue.institution), actor),
        key=f"extension:{extension.pk}:decided",
        message=message,
        params={
            "number": issue.number,
            "reason": _quote(extension.decision_reason),
            "day": issue.deadline.isoformat(),
        },
        url=_issue_url(issue),
    )
