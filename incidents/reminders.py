"""The incident records' daily reminders and calendar events (declared on ``IncidentsConfig``):
an open incident's stage past its time, to the reporting body (the institution's accounts, or
the station's staff for an incident at the station) and to the staff of the bodies its reports
were sent to (its alerts).

The stages with a time of their own are the police record (at once for a death or suspected
abuse, an hour after discovery for a resident still missing) and the final report (when the
follow-up window is over): ``overdue_stages`` lists the same. The initial report cannot be
owed (the incident exists from it) and follow-up reports are due when the situation changes,
not on a day. Messages name the incident's number, place and kind: never a resident.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

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
from incidents.models import Alert, Incident
from incidents.selectors import (
    NOT_CLOSED,
    final_missing_q,
    followup_window_ends_at,
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
    "final": gettext_noop(
        "Incident %(number)s at %(place)s (%(kind)s): the final report is overdue since %(due)s."
    ),
}
# Where the reporting body files what is owed.
STAGE_PAGES = {"police": "incidents:police_record_add", "final": "incidents:incident_final"}


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def stage_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Open incidents whose police record or final report became overdue by day ``on`` (up to
    ``reminder_catch_up_days`` ago): what is overdue is judged at the run's moment, or at the
    end of ``on`` for a past day."""
    r = rules()
    moment = min(timezone.now(), _day_start(on + DAY))
    since = _day_start(on - DAY * (r.reminder_catch_up_days + 1))
    window = DAY * max(r.incident_followup_days, r.incident_followup_days_fire)
    # Each stage's due time is on or after the discovery (the final: the follow-up window after
    # the occurrence, which is before the discovery): the status index bounds both.
    open_incidents = Incident.objects.filter(status__in=NOT_CLOSED).select_related(
        "institution", "station"
    )
    police = open_incidents.filter(police_outstanding_q(moment), discovered_at__gte=since).annotate(
        due=police_due_at()
    )
    final = open_incidents.filter(
        final_missing_q(moment), discovered_at__gte=since - window
    ).annotate(due=followup_window_ends_at())
    owed = [
        (stage, incident)
        for stage, found in (("police", police), ("final", final))
        for incident in found
        if catching_up((on - timezone.localdate(incident.due)).days)
    ]
    if not owed:
        return
    incidents = {incident.pk: incident for _stage, incident in owed}
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
    for stage, incident in owed:
        key = f"incident:{incident.pk}:{stage}:overdue"
        with translation.override(settings.LANGUAGE_CODE):
            params = {
                "number": incident.number,
                "place": incident.place_name,
                "kind": str(incident.get_kind_display()),
                "due": timezone.localtime(incident.due).strftime("%Y-%m-%d %H:%M"),
            }
        if incident.institution_id:
            reporters = accounts.get(incident.institution_id, [])
        else:
            reporters = staff.get(incident.station_id, [])
        yield Reminder(
            kind=Kind.INCIDENT_STAGE_OVERDUE,
            key=key,
            recipients=reporters,
            message=STAGE_MESSAGES[stage],
            params=params,
            url=reverse(STAGE_PAGES[stage], args=[incident.pk]),
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
            key=key,
            recipients=receivers,
            message=STAGE_MESSAGES[stage],
            params=params,
            url=reverse("incidents:incident_detail", args=[incident.pk]),
        )


def calendar_events(user: User, *, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    """The day each open incident in the user's view owes its final report (the follow-up
    window's end)."""
    r = rules()
    window = DAY * max(r.incident_followup_days, r.incident_followup_days_fire)
    incidents = (
        incidents_for(user)
        .filter(status=Incident.Status.OPEN, discovered_at__gte=_day_start(start) - window)
        .annotate(due=followup_window_ends_at())
        .filter(due__gte=_day_start(start), due__lt=_day_start(end + DAY))
        .order_by("due", "pk")[:LIMIT]
    )
    return [
        CalendarEvent(
            uid=f"incident-{incident.pk}-final",
            day=timezone.localdate(incident.due),
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
