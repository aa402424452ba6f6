"""The dated duties of institutions and inspections in a user's scope, for the personal calendar
feed (declared as ``InspectionsConfig.calendar_sources``): rectification deadlines, planned
inspections, comment windows closing, qualification documents lapsing and, for an
institution's accounts, its monthly reports due.

Everything is read through the scoped selectors, so a feed shows what its owner may see on the
pages and nothing else; each kind is cut in the database to ``LIMIT`` events, the earliest
first, and so is the whole.
Summaries name the institution, the record's number and its area: never a resident, and no
free text (an issue's description may name one).
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.notices.registry import CalendarEvent
from inspections.dates import add_months
from inspections.models import CustodyAgreement, Inspection, Issue, MonthlyReport
from inspections.models.reports import due_date
from inspections.selectors.inspections import inspections_for, issues_for
from inspections.selectors.registry import documents_for, documents_lapsing, institutions_for

# Events at most, of each kind and in all (the earliest kept): a city bureau's year of
# deadlines would bury a calendar.
LIMIT = 300


def calendar_events(user: User, *, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    events = [
        *_issue_deadlines(user, start, end),
        *_planned_inspections(user, start, end),
        *_comment_windows(user, start, end),
        *_documents_lapsing(user, start, end),
        *_reports_due(user, start, end),
    ]
    return sorted(events, key=lambda event: (event.day, event.uid))[:LIMIT]


def _issue_deadlines(user: User, start: datetime.date, end: datetime.date) -> list:
    issues = (
        issues_for(user)
        .exclude(status=Issue.Status.CLOSED)
        .filter(deadline__range=(start, end))
        .order_by("deadline", "pk")[:LIMIT]
    )
    return [
        CalendarEvent(
            uid=f"issue-{issue.pk}-deadline",
            day=issue.deadline,
            summary=_("Issue %(number)s due: %(institution)s, %(area)s (%(severity)s)")
            % {
                "number": issue.number,
                "institution": issue.institution.name,
                "area": issue.get_area_display(),
                "severity": issue.get_severity_display(),
            },
            url=reverse("inspections:issue_detail", args=[issue.pk]),
        )
        for issue in issues
    ]


def _planned_inspections(user: User, start: datetime.date, end: datetime.date) -> list:
    # The institution's accounts never see a planned inspection (``inspections_for``): some
    # are unannounced.
    inspections = (
        inspections_for(user)
        .filter(status=Inspection.Status.PLANNED, planned_on__range=(start, end))
        .order_by("planned_on", "pk")[:LIMIT]
    )
    return [
        CalendarEvent(
            uid=f"inspection-{inspection.pk}-planned",
            day=inspection.planned_on,
            summary=_("%(kind)s: %(institution)s")
            % {"kind": inspection.get_kind_display(), "institution": inspection.institution.name},
            url=reverse("inspections:inspection_detail", args=[inspection.pk]),
        )
        for inspection in inspections
    ]


def _comment_windows(user: User, start: datetime.date, end: datetime.date) -> list:
    inspections = (
        inspections_for(user)
        .filter(status=Inspection.Status.COMMENTING, comment_deadline__range=(start, end))
        .order_by("comment_deadline", "pk")[:LIMIT]
    )
    return [
        CalendarEvent(
            uid=f"inspection-{inspection.pk}-comments",
            day=inspection.comment_deadline,
            summary=_("Comments on the inspection report due: %(institution)s")
            % {"institution": inspection.institution.name},
            url=reverse("inspections:inspection_detail", args=[inspection.pk]),
        )
        for inspection in inspections
    ]


def _documents_lapsing(user: User, start: datetime.date, end: datetime.date) -> list:
    # The institution keeps its documents, the bureaus verify them; supervisors do neither.
    if not (user.is_admin or user.is_civil_affairs_staff or user.is_institution_user):
        return []
    documents = (
        documents_lapsing(documents_for(user), start, end)
        .select_related("institution")
        .order_by("valid_until", "pk")[:LIMIT]
    )
    return [
        CalendarEvent(
            uid=f"document-{document.pk}-expiry",
            day=document.valid_until,
            summary=_("%(document)s of %(institution)s expires (No. %(number)s)")
            % {
                "document": document.get_kind_display(),
                "institution": document.institution.name,
                "number": document.number,
            },
            url=reverse("inspections:institution_detail", args=[document.institution_id])
            if not user.is_institution_user
            else reverse("inspections:my_institution"),
        )
        for document in documents
    ]


def _reports_due(user: User, start: datetime.date, end: datetime.date) -> list:
    """The institution's own months owed (an active agreement in force that month) and not yet
    sent, on their due days."""
    if not (user.is_institution_user and user.institution_id):
        return []
    institution = institutions_for(user).filter(pk=user.institution_id).first()
    if institution is None:
        return []
    terms = list(
        CustodyAgreement.objects.filter(
            institution=institution, status=CustodyAgreement.Status.ACTIVE
        ).values_list("starts_on", "ends_on")
    )
    # A month's report falls due in that month or, in some areas, the next.
    months = []
    month = add_months(start.replace(day=1), -1)
    while month <= end and len(months) < 24:
        months.append(month)
        month = add_months(month, 1)
    received = set(
        MonthlyReport.objects.filter(
            institution=institution, month__in=months, first_submitted_at__isnull=False
        ).values_list("month", flat=True)
    )
    events = []
    for month in months:
        due = due_date(month)
        last = add_months(month, 1) - datetime.timedelta(days=1)
        owed = any(starts <= last and ends >= month for starts, ends in terms)
        if start <= due <= end and owed and month not in received:
            events.append(
                CalendarEvent(
                    uid=f"report-{institution.pk}-{month:%Y-%m}-due",
                    day=due,
                    summary=_("Monthly status report for %(month)s due")
                    % {"month": f"{month:%Y-%m}"},
                    url=reverse("inspections:report_create") + f"?month={month:%Y-%m}",
                )
            )
    return events
