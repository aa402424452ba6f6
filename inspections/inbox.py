"""What waits for each person in the inspections app, for the to-do inbox (``inbox_sources`` on
the AppConfig; see ``audit_portal/notices/registry.py``).

Each source answers ``None`` for the roles it does not concern, keeps to the user's scope through
the scoped selectors, lists the most urgent first and counts in the database (a couple of queries
each, however many records: the header counts them every minute). An item links to the page
where the action is taken, and disappears once it is done.
"""

import calendar
import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from audit_portal.accounts.models import Organisation, User
from audit_portal.notices.registry import InboxItem, InboxSection, inbox_section
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.models import (
    CustodyAgreement,
    DeadlineExtension,
    Inspection,
    Issue,
    MonthlyReport,
    QualificationDocument,
    Rectification,
)
from inspections.models.reports import due_date, last_due_month
from inspections.recipients import issues_to_verify
from inspections.selectors import documents_for, institutions_for
from inspections.selectors.inspections import inspections_for, issues_for, visit_gaps
from inspections.selectors.reports import reports_for


def _issue_url(issue: Issue) -> str:
    return reverse("inspections:issue_detail", args=[issue.pk])


def _issue_title(issue: Issue) -> str:
    return f"{issue.number} · {issue.institution.name}"


def _inspects(user: User) -> bool:
    """Staff and supervisors: those who raise issues and verify them."""
    return user.is_civil_affairs_staff or user.is_supervisor


def _mine_to_verify(user: User) -> Q:
    """Rows about an issue (``issue``) in the user's scope that the user is among the verifiers
    of."""
    return Q(issue_id__in=issues_to_verify(user), issue__institution__in=institutions_for(user))


# Staff and supervisors --------------------------------------------------------------------------


def rectifications_to_verify(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Rectifications the institution reported, waiting for this user's verification: those of
    the user's county, and those of the issues the user raised or inspected."""
    if not _inspects(user) or not user.has_perm("inspections.verify_rectification"):
        return None
    waiting = (
        Rectification.objects.filter(_mine_to_verify(user), decision=Rectification.Decision.PENDING)
        .select_related("issue", "issue__institution")
        .order_by("submitted_at", "pk")
    )
    return inbox_section(
        "rectifications_to_verify",
        _("Rectifications to verify"),
        waiting,
        limit=limit,
        item=lambda rectification: InboxItem(
            title=_issue_title(rectification.issue),
            url=_issue_url(rectification.issue),
            detail=_("reported on %(day)s")
            % {"day": timezone.localdate(rectification.submitted_at).isoformat()},
        ),
    )


def extensions_to_decide(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Extension requests waiting for a decision, by the staff who would verify the issue;
    the one whose current deadline comes first leads."""
    if not user.is_civil_affairs_staff or not user.has_perm("inspections.decide_extension"):
        return None
    waiting = (
        DeadlineExtension.objects.filter(
            _mine_to_verify(user), decision=DeadlineExtension.Decision.PENDING
        )
        .select_related("issue", "issue__institution")
        # The deadline when asked is the issue's deadline while the request is pending (only
        # deciding it moves the deadline); sorting on it keeps the database on the few pending
        # requests instead of walking every issue in deadline order.
        .order_by("deadline_before", "requested_at", "pk")
    )
    return inbox_section(
        "extensions_to_decide",
        _("Deadline extensions to decide"),
        waiting,
        limit=limit,
        item=lambda extension: InboxItem(
            title=_issue_title(extension.issue),
            url=_issue_url(extension.issue),
            due=extension.issue.deadline,
            overdue=extension.issue.deadline < on,
            detail=_("asks for %(day)s") % {"day": extension.requested_deadline.isoformat()},
        ),
    )


def documents_to_check(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Qualification documents waiting for a second person's check (four eyes): the user may
    verify them and did not submit them."""
    if not user.is_civil_affairs_staff and not user.is_admin:
        return None
    if not user.has_perm("inspections.verify_document"):
        return None
    waiting = (
        documents_for(user)
        .filter(status=QualificationDocument.Status.PENDING)
        .exclude(submitted_by_id=user.pk)
        .select_related("institution")
        .order_by("submitted_at", "pk")
    )
    return inbox_section(
        "documents_to_check",
        _("Documents to check"),
        waiting,
        limit=limit,
        item=lambda document: InboxItem(
            title=f"{document.get_kind_display()} · {document.institution.name}",
            url=reverse("inspections:document_review", args=[document.pk]),
            detail=_("No. %(number)s") % {"number": document.number},
        ),
    )


def reports_to_review(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Monthly reports submitted and waiting for the placing station's review."""
    if user.is_institution_user or not user.has_perm("inspections.review_monthlyreport"):
        return None
    waiting = (
        reports_for(user)
        .filter(status=MonthlyReport.Status.SUBMITTED)
        .order_by("month", "submitted_at", "pk")
    )
    return inbox_section(
        "reports_to_review",
        _("Monthly reports to review"),
        waiting,
        limit=limit,
        item=lambda report: InboxItem(
            title=f"{report.institution.name} · {report.month:%Y-%m}",
            url=reverse("inspections:report_detail", args=[report.pk]),
        ),
        more_url=reverse("inspections:report_list")
        + "?"
        + urlencode({"status": MonthlyReport.Status.SUBMITTED}),
    )


def visits_missing(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """The placing station's monthly visits (每月探视) not yet made this month."""
    if not (user.is_civil_affairs_staff and user.organisation_kind == Organisation.Kind.STATION):
        return None
    month_end = on.replace(day=calendar.monthrange(on.year, on.month)[1])
    # The station's own agreements (``agreements_for``), in force this month.
    waiting = visit_gaps(user, on).select_related("institution")
    return inbox_section(
        "visits_missing",
        _("Monthly visits to make"),
        waiting,
        limit=limit,
        item=lambda agreement: InboxItem(
            title=agreement.institution.name,
            url=reverse("inspections:visit_create") + "?" + urlencode({"agreement": agreement.pk}),
            due=month_end,
            detail=agreement.number,
        ),
        more_url=reverse("inspections:visit_list"),
    )


# The institution -------------------------------------------------------------------------------


def _institution_user(user: User) -> bool:
    return user.is_institution_user and user.institution_id is not None


def my_issues_due(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """The institution's open issues whose deadline has passed or comes within
    ``issue_due_soon_days``: a rectification to report (it leaves once reported)."""
    if not _institution_user(user):
        return None
    horizon = on + datetime.timedelta(days=rules().issue_due_soon_days)
    waiting = (
        issues_for(user)
        .filter(status=Issue.Status.OPEN, deadline__lte=horizon)
        .order_by("deadline", "pk")
    )
    return inbox_section(
        "my_issues_due",
        _("Issues to rectify"),
        waiting,
        limit=limit,
        item=lambda issue: InboxItem(
            title=f"{issue.number} · {issue.get_area_display()}",
            url=_issue_url(issue),
            due=issue.deadline,
            overdue=issue.deadline < on,
            detail=issue.description[:60],
        ),
        more_url=reverse("inspections:issue_ledger"),
    )


def my_reports_for_comments(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Inspection reports open for the institution's factual comments, not yet commented."""
    if not _institution_user(user):
        return None
    waiting = inspections_for(user).filter(
        status=Inspection.Status.COMMENTING,
        comment_deadline__gte=on,
        institution_commented_at__isnull=True,
    )
    return inbox_section(
        "my_reports_for_comments",
        _("Inspection reports to comment on"),
        waiting.order_by("comment_deadline", "pk"),
        limit=limit,
        item=lambda inspection: InboxItem(
            title=f"{inspection.get_kind_display()} · "
            f"{(inspection.performed_on or inspection.planned_on).isoformat()}",
            url=reverse("inspections:inspection_detail", args=[inspection.pk]),
            due=inspection.comment_deadline,
        ),
    )


def my_reports_to_send(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """The institution's monthly reports owed and past their due day but not sent, and those
    returned for correction: two queries (the agreements, the reports), oldest month first."""
    if not _institution_user(user) or not user.has_perm("inspections.add_monthlyreport"):
        return None
    newest = last_due_month(on)
    months = [
        add_months(newest, -index) for index in range(rules().monthly_report_late_list_months)
    ]
    terms = CustodyAgreement.objects.filter(
        institution_id=user.institution_id,
        institution__in=institutions_for(user),
        status=CustodyAgreement.Status.ACTIVE,
        starts_on__lte=add_months(newest, 1) - datetime.timedelta(days=1),
        ends_on__gte=months[-1],
    ).values_list("starts_on", "ends_on")
    terms = list(terms)
    reports = dict(
        MonthlyReport.objects.filter(institution_id=user.institution_id)
        .filter(Q(month__in=months) | Q(status=MonthlyReport.Status.RETURNED))
        .values_list("month", "status")
    )
    rows = []
    for month in sorted(set(months) | set(reports)):
        status = reports.get(month)
        if status == MonthlyReport.Status.RETURNED:
            rows.append((month, True))
            continue
        last = add_months(month, 1) - datetime.timedelta(days=1)
        owed = month in months and any(start <= last and end >= month for start, end in terms)
        if owed and status in (None, MonthlyReport.Status.DRAFT):
            rows.append((month, False))
    items = tuple(
        InboxItem(
            title=_("Monthly report for %(month)s") % {"month": f"{month:%Y-%m}"},
            url=reverse("inspections:report_create") + "?" + urlencode({"month": f"{month:%Y-%m}"}),
            due=due_date(month),
            overdue=not returned,
            detail=_("returned for correction") if returned else _("not sent"),
        )
        for month, returned in rows[:limit]
    )
    return InboxSection(
        key="my_reports_to_send",
        label=_("Monthly reports to send"),
        count=len(rows),
        items=items,
        more_url=reverse("inspections:report_list"),
    )
