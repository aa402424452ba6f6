"""What the open day tells people: a summary waiting for approval (its approvers), a summary sent
back to draft (its drafter) and a public complaint or suggestion received (the county bureau and
the supervisors of the groups it was routed to). The notification carries no contact details of
the complainant: staff read those in the system."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from audit_portal.notices.services import notify
from inspections import recipients
from openday.models import PublicComplaint, Summary
from openday.policies import contributors


def approvers(summary: Summary):
    """Who may approve the draft: the city bureau (and administrators, who hold the same
    right), but none of the people who wrote any part of it."""
    people = recipients.city_staff() | recipients.administrators()
    return people.exclude(pk__in=contributors(summary))


def _summary_url(summary: Summary) -> str:
    return reverse("openday:summary_detail", args=[summary.pk])


def summary_for_approval(summary: Summary, *, actor: User) -> None:
    notify(
        kind=Kind.SUMMARY_FOR_APPROVAL,
        recipients=recipients.others(approvers(summary), actor),
        key=f"summary:{summary.pk}:for_approval",
        message=gettext_noop(
            "The %(year)s open-day summary (version %(version)s) waits for your approval."
        ),
        params={"year": summary.year, "version": summary.version},
        url=_summary_url(summary),
    )


def summary_returned(summary: Summary, *, actor: User, reason: str) -> None:
    # Each return is its own event: the history row it wrote names it.
    latest = summary.history.order_by("-history_id").values_list("history_id", flat=True).first()
    notify(
        kind=Kind.SUMMARY_RETURNED,
        recipients=recipients.others(User.objects.filter(pk=summary.drafted_by_id), actor),
        key=f"summary:{summary.pk}:returned:{latest}",
        message=gettext_noop(
            "The %(year)s open-day summary (version %(version)s) was sent back to draft: %(reason)s"
        ),
        params={"year": summary.year, "version": summary.version, "reason": reason.strip()},
        url=_summary_url(summary),
    )


COMPLAINT_MESSAGES = {
    PublicComplaint.Kind.COMPLAINT: gettext_noop(
        "A member of the public sent a complaint about %(institution)s."
    ),
    PublicComplaint.Kind.SUGGESTION: gettext_noop(
        "A member of the public sent a suggestion about %(institution)s."
    ),
}


def complaint_received(complaint: PublicComplaint) -> None:
    """The county bureau, and the supervisors of the routed groups who work at the institution
    today (those who see it)."""
    institution = complaint.institution
    group_ids = list(complaint.groups.values_list("pk", flat=True))
    supervisors = recipients.group_supervisors(group_ids) & recipients.assigned_supervisors(
        institution
    )
    notify(
        kind=Kind.COMPLAINT_FORWARDED,
        recipients=recipients.organisation_staff([complaint.county_id]) | supervisors,
        key=f"public_complaint:{complaint.pk}:received",
        message=COMPLAINT_MESSAGES[PublicComplaint.Kind(complaint.kind)],
        params={"institution": institution.name},
        url=reverse("openday:complaint_detail", args=[complaint.pk]),
    )
