"""The incident records' daily reminders and calendar events (declared on ``IncidentsConfig``):
an open incident's stage past its time, to the reporting body (the institution's accounts, or
the station's staff for an incident at the station) and to the staff of the bodies its reports
were sent to (its alerts).

The stages with a time of their own are the police record (at once for a death or suspected
abuse, an hour after discovery for a resident still missing), the supplementary report a change
in casualties demands within Order 493's window (within the forwarding time of the change) and
the final report (by the working-day deadline set when the incident is declared over; never
before that, however long it lasts): ``overdue_stages`` lists the same. The initial report
cannot be owed (the incident exists from it). Messages name the incident's number, place and
kind: never a resident.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from audit_portal.notices.registry import CalendarEvent, Reminder
from audit_portal.notices.reminders import catching_up
from audit_portal.rules import rules
from incidents.models import Alert, CasualtyChange, Incident
from incidents.selectors import (
    NOT_CLOSED,
    final_missing_q,
    incidents_for,
    police_due_at,
    police_outstanding_q,
)
from inspections.recipients import institution_accounts_of, staff_by_organisation

DAY = datetime.timedelta(days=1)
# Calendar events at most (the earliest kept).
LIMIT = 300

STAGE_MESSAGES = {
    "police": gettext_noop(
        "Incident %(number)s at %(place)s (%(kind)s): the police record is overdue since %(due)s."
    ),
    "supplementary": gettext_noop(
        "Incident %(number)s at %(place)s (%(kind)s): the supplementary report on the change in "
        "casualties is overdue since %(due)s."
    ),
    "final": gettext_noop(
        "Incident %(number)s at %(place)s (%(kind)s): the final report is overdue since %(due)s."
    ),
}
# Where the reporting body files what is owed.
STAGE_PAGES = {
    "police": "incidents:police_record_add",
    "supplementary": "incidents:incident_followup",
    "final": "incidents:incident_final",
}


@dataclass(frozen=True)
class Owed:
    stage: str
    incident: Incident
    due: datetime.datetime
    key: str


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def _owed(on: datetime.date) -> list[Owed]:
    """What became overdue by day ``on`` (up to ``reminder_catch_up_days`` ago): judged at the
    run's moment, or at the end of ``on`` for a past day. Each on an index: the police record
    on the status index (due on or after the discovery), the supplementary reports on the
    unanswered changes, the final report on its stored day."""
    r = rules()
    moment = min(timezone.now(), _day_start(on + DAY))
    since = _day_start(on - DAY * (r.reminder_catch_up_days + 1))
    answer_time = datetime.timedelta(minutes=r.incident_forwarding_minutes)
    open_incidents = Incident.objects.filter(status__in=NOT_CLOSED).select_related(
        "institution", "station"
    )
    police = open_incidents.filter(police_outstanding_q(moment), discovered_at__gte=since).annotate(
        due=police_due_at()
    )
    final = open_incidents.filter(
        final_missing_q(moment), final_due_on__gte=timezone.localdate(since)
    )
    changes = CasualtyChange.objects.filter(
        demands_report=True,
        answered_by__isnull=True,
        recorded_at__gte=since - answer_time,
        recorded_at__lt=moment - answer_time,
        incident__status__in=NOT_CLOSED,
    ).select_related("incident__institution", "incident__station")
    owed = [Owed("police", i, i.due, f"incident:{i.pk}:police:overdue") for i in police]
    owed += [
        Owed(
            "supplementary",
            change.incident,
            change.report_due_at,
            f"incident:{change.incident_id}:supplementary:{change.pk}:overdue",
        )
        for change in changes
    ]
    owed += [Owed("final", i, i.final_due_at(), f"incident:{i.pk}:final:overdue") for i in final]
    return [item for item in owed if catching_up((on - timezone.localdate(item.due)).days)]


def stage_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Incidents not closed whose police record, supplementary report (one per change in
    casualties) or final report became overdue by day ``on``; one key per item, so a second run
    never sends it again."""
    owed = _owed(on)
    if not owed:
        return
    incidents = {item.incident.pk: item.incident for item in owed}
    alerted: dict[int, set[int]] = defaultdict(set)
    for incident_id, organisation_id in Alert.objects.filter(
        incident_id__in=list(incidents)
    ).values_list("incident_id", "recipient_id"):
        alerted[incident_id].add(organisation_id)
    accounts = institution_accounts_of(
        {incident.institution_id for incident in incidents.values()} - {None}
    )
    stations = {incident.station_id for incident in incidents.values()} - {None}
    staff = staff_by_organisation({org for found in alerted.values() for org in found} | stations)
    for item in owed:
        incident = item.incident
        with translation.override(settings.LANGUAGE_CODE):
            params = {
                "number": incident.number,
                "place": incident.place_name,
                "kind": str(incident.get_kind_display()),
                "due": timezone.localtime(item.due).strftime("%Y-%m-%d %H:%M"),
            }
        if incident.institution_id:
            reporters = accounts.get(incident.institution_id, [])
        else:
            reporters = staff.get(incident.station_id, [])
        page = STAGE_PAGES[item.stage]
        if item.stage == "supplementary" and incident.status != Incident.Status.OPEN:
            page = "incidents:incident_detail"  # after the final report: amend it
        yield Reminder(
            kind=Kind.INCIDENT_STAGE_OVERDUE,
            key=item.key,
            recipients=reporters,
            message=STAGE_MESSAGES[item.stage],
            params=params,
            url=reverse(page, args=[incident.pk]),
        )
        reporter_ids = {user.pk for user in reporters}
        receivers = [
            user
            for organisation_id in sorted(alerted[incident.pk])
            for user in staff.get(organisation_id, [])
            if user.pk not in reporter_ids
        ]
        yield Reminder(
            kind=Kind.INCIDENT_STAGE_OVERDUE,
            key=item.key,
            recipients=receivers,
            message=STAGE_MESSAGES[item.stage],
            params=params,
            url=reverse("incidents:incident_detail", args=[incident.pk]),
        )


def calendar_events(user: User, *, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    """The day each open incident in the user's view owes its final report: the last working
    day after it was declared over (``final_due_on``, on its index)."""
    incidents = (
        incidents_for(user)
        .filter(status=Incident.Status.OPEN, final_due_on__gte=start, final_due_on__lte=end)
        .order_by("final_due_on", "pk")[:LIMIT]
    )
    return [
        CalendarEvent(
            uid=f"incident-{incident.pk}-final",
            day=incident.final_due_on,
            summary=_("Final report due: incident %(number)s at %(place)s (%(kind)s)")
            % {
                "number": incident.number,
                "place": incident.place_name,
                "kind": incident.get_kind_display(),
            },
            url=reverse("incidents:incident_detail", args=[incident.pk]),
        )
        for incident in incidents
    ]


FORWARDING_MESSAGES = {
    "to_city": gettext_noop(
        "Incident %(number)s at %(place)s (%(kind)s): the %(stage)s is overdue for forwarding "
        "to the city bureau since %(due)s."
    ),
    "to_province": gettext_noop(
        "Incident %(number)s at %(place)s (%(kind)s): the %(stage)s is overdue for forwarding "
        "to the province since %(due)s."
    ),
}


def forwarding_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Reports whose forwarding upward (逐级上报) became overdue by day ``on`` (up to
    ``reminder_catch_up_days`` ago), to the staff of the bureau that owes it: the county bureau
    (to the city) or the city bureau (to the province). One key per report and level: a second
    run never sends it again."""
    from incidents.chain import Level, owed_forwardings

    moment = min(timezone.now(), _day_start(on + DAY))
    owed = [
        (level, report)
        for level in (Level.TO_CITY, Level.TO_PROVINCE)
        # The stored next due time is the earliest of an incident's: the index finds the few.
        for report in owed_forwardings(level).filter(
            incident__forwarding_due_at__lt=moment, due__lt=moment
        )
        if catching_up((on - timezone.localdate(report.due)).days)
    ]
    if not owed:
        return
    staff = staff_by_organisation({report.sender_id for _level, report in owed})
    for level, report in owed:
        incident = report.incident
        with translation.override(settings.LANGUAGE_CODE):
            params = {
                "number": incident.number,
                "place": incident.place_name,
                "kind": str(incident.get_kind_display()),
                "stage": str(report.get_stage_display()),
                "due": timezone.localtime(report.due).strftime("%Y-%m-%d %H:%M"),
            }
        yield Reminder(
            kind=Kind.INCIDENT_STAGE_OVERDUE,
            key=f"incident:{incident.pk}:report:{report.pk}:{level}:overdue",
            recipients=staff.get(report.sender_id, []),
            message=FORWARDING_MESSAGES[level],
            params=params,
            url=reverse("incidents:incident_detail", args=[incident.pk]) + "#chain",
        )
