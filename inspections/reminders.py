"""The daily reminders of the institutions' duties (``manage.py send_reminders``, declared as
``InspectionsConfig.reminder_sources``): qualification documents expiring, rectification
deadlines and their escalation, monthly reports due and missing, monthly visits missing,
comment windows closing and tomorrow's inspections.

Each source yields, for day ``on``, the step each record has reached by then (not only the step
due exactly that day) under a key naming the record and the step: a second run on one day sends
nothing again, and a day the run missed is caught up by the next run, up to
``reminder_catch_up_days`` late; older steps are no longer news. Each source reads its records
in a window of days on an indexed field, and the people answering for their institutions once
(``inspections.recipients``). Messages name the institution, the record's number and days,
never a resident.
"""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from audit_portal.notices.kinds import Kind
from audit_portal.notices.registry import Reminder
from audit_portal.notices.reminders import catching_up, step_reached
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.models import (
    CustodyAgreement,
    Inspection,
    Institution,
    Issue,
    MonthlyReport,
    QualificationDocument,
)
from inspections.models.reports import due_date
from inspections.recipients import (
    ACCOUNTS,
    CITY,
    COUNTY,
    STATIONS,
    Responsible,
    responsible_for,
    staff_by_organisation,
    teams_in_scope,
)
from inspections.selectors.inspections import agreements_without_visits
from inspections.selectors.registry import documents_lapsing
from inspections.selectors.reports import expected_institutions
from inspections.workdays import WorkingDays

DAY = datetime.timedelta(days=1)


def _in_site_language(**values) -> dict[str, str]:
    """Parameters written in the site's language: a choice's label is kept as written, while
    the message around it is translated when shown."""
    with translation.override(settings.LANGUAGE_CODE):
        return {name: str(value) for name, value in values.items()}


def _month(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


# Qualification documents -------------------------------------------------------------------------

DOCUMENT_MESSAGES = {
    "ahead": gettext_noop(
        "%(document)s No. %(number)s of %(institution)s expires on %(date)s: %(days)s days left."
    ),
    "today": gettext_noop("%(document)s No. %(number)s of %(institution)s expires today."),
    "past": gettext_noop("%(document)s No. %(number)s of %(institution)s expired on %(date)s."),
}


def document_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Verified documents lapsing in ``document_expiry_reminder_days`` (60, 30, 7 days and the
    day itself) with no verified renewal: to the institution's accounts, where the renewal is
    uploaded, and to its county bureau, which verifies it."""
    r = rules()
    steps = r.document_expiry_reminder_days
    documents = list(
        documents_lapsing(
            QualificationDocument.objects.exclude(
                institution__status=Institution.Status.TERMINATED
            ),
            on - DAY * r.reminder_catch_up_days,
            on + DAY * max(steps),
        ).select_related("institution")
    )
    people = responsible_for({document.institution_id for document in documents}, on)
    for document in documents:
        days_left = (document.valid_until - on).days
        step = step_reached(days_left, steps)
        if step is None or not catching_up((on - (document.valid_until - DAY * step)).days):
            continue
        when = "ahead" if days_left > 0 else "today" if days_left == 0 else "past"
        reminder = {
            "kind": Kind.DOCUMENT_EXPIRING,
            "key": f"document:{document.pk}:expiry:{step}",
            "message": DOCUMENT_MESSAGES[when],
            "params": _in_site_language(
                document=document.get_kind_display(),
                number=document.number,
                institution=document.institution.name,
                date=document.valid_until.isoformat(),
                days=days_left,
            ),
        }
        institution = document.institution_id
        yield Reminder(
            recipients=people.of(institution, ACCOUNTS),
            url=reverse("inspections:document_upload", args=[institution]),
            **reminder,
        )
        yield Reminder(
            recipients=people.of(institution, COUNTY),
            url=reverse("inspections:institution_detail", args=[institution]),
            **reminder,
        )


# Rectification deadlines and escalation ----------------------------------------------------------

DEADLINE_MESSAGES = {
    "before": gettext_noop(
        "Issue %(number)s at %(institution)s (%(area)s, %(severity)s) is due on %(date)s: "
        "%(days)s working days left."
    ),
    "today": gettext_noop(
        "Issue %(number)s at %(institution)s (%(area)s, %(severity)s) is due today."
    ),
    "overdue": gettext_noop(
        "Issue %(number)s at %(institution)s (%(area)s, %(severity)s) is overdue: it was due "
        "on %(date)s."
    ),
    "escalate": gettext_noop(
        "Escalated: issue %(number)s at %(institution)s (%(area)s, %(severity)s) is "
        "%(days)s working days overdue (due on %(date)s)."
    ),
}


def deadline_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Open issues the institution can see (its own or in a report sent to it): a reminder
    ``rectification_reminder_workdays`` working days before the deadline and on the day to the
    institution's accounts; once overdue, to them and the county bureau; escalated to the
    county bureau ``escalation_county_workdays`` working days overdue and to the city bureau
    ``escalation_city_workdays`` working days overdue.

    An issue whose rectification waits for verification is the verifiers' to move, not late
    work of the institution: it is reminded of again if the rectification is rejected. A
    deadline moved by an extension starts its reminders again (the deadline is in the key)."""
    r = rules()
    lead = r.rectification_reminder_workdays
    # Calendar days enough for the working days counted (a week of holiday and its weekends).
    behind = on - DAY * (r.reminder_catch_up_days + 2 * r.escalation_city_workdays + 15)
    days = WorkingDays(behind, on + DAY * (2 * lead + 15))
    issues = list(
        Issue.objects.filter(
            Q(inspection__isnull=True) | Q(inspection__status__in=Inspection.SHOWN_TO_INSTITUTION),
            status=Issue.Status.OPEN,
            deadline__range=(behind, days.add(on, lead)),
        ).select_related("institution")
    )
    people = responsible_for({issue.institution_id for issue in issues}, on)
    for issue in issues:
        yield from _deadline_step(issue, on, days, people, lead)
        yield from _escalation_step(issue, on, days, people)


def _issue_params(issue: Issue, **values) -> dict[str, str]:
    return _in_site_language(
        number=issue.number,
        institution=issue.institution.name,
        area=issue.get_area_display(),
        severity=issue.get_severity_display(),
        date=issue.deadline.isoformat(),
        **values,
    )


def _deadline_step(
    issue: Issue, on: datetime.date, days: WorkingDays, people: Responsible, lead: int
) -> Iterator[Reminder]:
    left = days.between(on, issue.deadline)
    if issue.deadline > on:
        if left > lead:
            return
        step, kind, parts = "before", Kind.DEADLINE_NEAR, (ACCOUNTS,)
    elif issue.deadline == on:
        step, kind, parts = "today", Kind.DEADLINE_TODAY, (ACCOUNTS,)
    elif catching_up((on - issue.deadline).days - 1):
        step, kind, parts = "overdue", Kind.DEADLINE_OVERDUE, (ACCOUNTS, COUNTY)
    else:
        return
    yield Reminder(
        kind=kind,
        key=f"issue:{issue.pk}:{step}:{issue.deadline.isoformat()}",
        recipients=people.of(issue.institution_id, *parts),
        message=DEADLINE_MESSAGES[step],
        params=_issue_params(issue, days=left),
        url=reverse("inspections:issue_detail", args=[issue.pk]),
    )


def _escalation_step(
    issue: Issue, on: datetime.date, days: WorkingDays, people: Responsible
) -> Iterator[Reminder]:
    if issue.deadline >= on:
        return
    r = rules()
    late = days.between(issue.deadline, on)
    # The latest level reached only: a run missed for weeks does not send both at once.
    for level, after, part in (
        ("city", r.escalation_city_workdays, CITY),
        ("county", r.escalation_county_workdays, COUNTY),
    ):
        if late < after:
            continue
        if catching_up((on - days.add(issue.deadline, after)).days):
            yield Reminder(
                kind=Kind.ESCALATION,
                key=f"issue:{issue.pk}:escalate:{level}:{issue.deadline.isoformat()}",
                recipients=people.of(issue.institution_id, part),
                message=DEADLINE_MESSAGES["escalate"],
                params=_issue_params(issue, days=late),
                url=reverse("inspections:issue_detail", args=[issue.pk]),
            )
        return


# Monthly status reports --------------------------------------------------------------------------

REPORT_DUE = gettext_noop(
    "The monthly status report of %(institution)s for %(month)s is due on %(date)s."
)
REPORT_MISSING = gettext_noop(
    "The monthly status report of %(institution)s for %(month)s is missing: it was due on %(date)s."
)


def report_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Institutions owing a month's report (an active agreement in force that month) that have
    not sent it: ``monthly_report_reminder_days`` before its due day, to the institution's
    accounts; the day after it, missing, to them, the placing station that reviews it and the
    county bureau."""
    r = rules()
    this_month = on.replace(day=1)
    # The months whose due day can fall near ``on``, whatever the area's due day and month.
    for month in (add_months(this_month, offset) for offset in range(-3, 2)):
        due = due_date(month)
        if 0 <= (due - on).days <= r.monthly_report_reminder_days:
            yield from _reports_owed(month, due, on, step="due")
        elif due < on and catching_up((on - due).days - 1):
            yield from _reports_owed(month, due, on, step="missing")


def _reports_owed(
    month: datetime.date, due: datetime.date, on: datetime.date, *, step: str
) -> Iterator[Reminder]:
    received = MonthlyReport.objects.filter(month=month, first_submitted_at__isnull=False)
    owing = list(
        expected_institutions(Institution.objects.all(), month)
        .exclude(pk__in=received.values("institution_id"))
        .values_list("pk", "name")
    )
    if not owing:
        return
    people = responsible_for([pk for pk, _name in owing], month, add_months(month, 1) - DAY)
    create = reverse("inspections:report_create") + f"?month={_month(month)}"
    for pk, name in owing:
        key = f"report:{pk}:{_month(month)}:{step}"
        params = {"institution": name, "month": _month(month), "date": due.isoformat()}
        if step == "due":
            yield Reminder(
                kind=Kind.MONTHLY_REPORT_DUE,
                key=key,
                recipients=people.of(pk, ACCOUNTS),
                message=REPORT_DUE,
                params=params,
                url=create,
            )
            continue
        yield Reminder(
            kind=Kind.MONTHLY_REPORT_MISSING,
            key=key,
            recipients=people.of(pk, ACCOUNTS),
            message=REPORT_MISSING,
            params=params,
            url=create,
        )
        yield Reminder(
            kind=Kind.MONTHLY_REPORT_MISSING,
            key=key,
            recipients=people.of(pk, STATIONS, COUNTY),
            message=REPORT_MISSING,
            params=params,
            url=reverse("inspections:report_late"),
        )


# Monthly visits ----------------------------------------------------------------------------------

VISIT_MISSING = gettext_noop(
    "No monthly visit to %(institution)s under agreement %(agreement)s was recorded in %(month)s."
)


def visit_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Once a month is over, each active agreement without its monthly visit (每月探视) that
    month: to the placing station's staff, who make and record the visit."""
    this_month = on.replace(day=1)
    if not catching_up((on - this_month).days):
        return
    month = add_months(this_month, -1)
    gaps = list(
        agreements_without_visits(CustodyAgreement.objects.all(), month).select_related(
            "institution"
        )
    )
    staff = staff_by_organisation({agreement.station_id for agreement in gaps})
    for agreement in gaps:
        yield Reminder(
            kind=Kind.VISIT_MISSING,
            key=f"visit:{agreement.pk}:{_month(month)}:missing",
            recipients=staff.get(agreement.station_id, []),
            message=VISIT_MISSING,
            params={
                "institution": agreement.institution.name,
                "agreement": agreement.number,
                "month": _month(month),
            },
            url=reverse("inspections:visit_create") + f"?agreement={agreement.pk}",
        )


# Comment windows ---------------------------------------------------------------------------------

COMMENT_WINDOW = gettext_noop(
    "The report of the inspection of %(institution)s on %(performed)s is open for your "
    "comments until %(date)s."
)


def comment_reminders(on: datetime.date) -> Iterator[Reminder]:
    """A report sent for the institution's factual comments, not yet commented on, whose window
    closes within ``comment_window_reminder_days``: to the institution's accounts."""
    inspections = list(
        Inspection.objects.filter(
            status=Inspection.Status.COMMENTING,
            comment_deadline__range=(on, on + DAY * rules().comment_window_reminder_days),
            institution_commented_at__isnull=True,
        ).select_related("institution")
    )
    people = responsible_for({inspection.institution_id for inspection in inspections}, on)
    for inspection in inspections:
        yield Reminder(
            kind=Kind.COMMENT_WINDOW_CLOSING,
            key=f"inspection:{inspection.pk}:comments:{inspection.comment_deadline.isoformat()}",
            recipients=people.of(inspection.institution_id, ACCOUNTS),
            message=COMMENT_WINDOW,
            params={
                "institution": inspection.institution.name,
                "performed": (inspection.performed_on or inspection.planned_on).isoformat(),
                "date": inspection.comment_deadline.isoformat(),
            },
            url=reverse("inspections:inspection_detail", args=[inspection.pk]),
        )


# Tomorrow's inspections --------------------------------------------------------------------------

INSPECTION_TOMORROW = gettext_noop(
    "%(kind)s of %(institution)s planned for %(date)s: you are on the team."
)


def inspection_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Inspections planned for tomorrow (or today, when yesterday's run was missed): to the
    lead and team who still answer for the institution. Never to the institution: an
    inspection may be unannounced."""
    inspections = list(
        Inspection.objects.filter(
            status=Inspection.Status.PLANNED, planned_on__range=(on, on + DAY)
        ).select_related("institution__county")
    )
    teams = teams_in_scope(inspections, on)
    for inspection in inspections:
        yield Reminder(
            kind=Kind.INSPECTION_TOMORROW,
            key=f"inspection:{inspection.pk}:planned:{inspection.planned_on.isoformat()}",
            recipients=teams[inspection.pk],
            message=INSPECTION_TOMORROW,
            params=_in_site_language(
                kind=inspection.get_kind_display(),
                institution=inspection.institution.name,
                date=inspection.planned_on.isoformat(),
            ),
            url=reverse("inspections:inspection_detail", args=[inspection.pk]),
        )
