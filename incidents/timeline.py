"""Every stage, amendment, police record, change in casualties, alert and note of an incident,
with the deadlines they set, in time order."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from incidents.models import CasualtyChange, Incident, Report, Stage


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # fact, deadline, report, police, change, alert, note
    title: str
    obj: object = None
    late: bool = False


def timeline(incident: Incident, now: datetime | None = None) -> list[Event]:
    now = now or timezone.now()
    events = [
        Event(incident.occurred_at, "fact", _("Occurred")),
        Event(incident.discovered_at, "fact", _("Discovered")),
        Event(
            incident.initial_due_at,
            "deadline",
            _("Initial report due (%(late)s)")
            % {
                "late": _("%(minutes)d minutes late") % {"minutes": incident.late_minutes}
                if incident.is_late
                else _("met")
            },
            late=incident.is_late,
        ),
    ]
    if incident.over_at:
        events.append(
            Event(
                incident.over_at,
                "fact",
                _("Declared over by %(name)s: %(reason)s")
                % {"name": incident.over_by.get_full_name(), "reason": incident.over_reason},
            )
        )
    if incident.resident_found_at:
        events.append(Event(incident.resident_found_at, "fact", _("Missing resident found")))
    reports = list(incident.reports.select_related("submitted_by", "amends"))
    events.extend(_final_deadline(incident, reports, now))
    for report in reports:
        events.append(Event(report.submitted_at, "report", str(report.get_stage_display()), report))
    changes = incident.casualty_changes.select_related("recorded_by", "answered_by")
    for change in changes:
        events.append(Event(change.recorded_at, "change", _("Casualties changed"), change))
        events.extend(_supplementary_deadline(change, now))
    for record in incident.police_records.select_related("recorded_by"):
        events.append(Event(record.reported_at, "police", str(record.get_kind_display()), record))
    for alert in incident.alerts.select_related("recipient", "read_by", "report"):
        events.append(
            Event(
                alert.created_at, "alert", _("Alert to %(org)s") % {"org": alert.recipient}, alert
            )
        )
    for note in incident.notes.select_related("author", "organisation"):
        events.append(Event(note.created_at, "note", str(note.get_kind_display()), note))
    order = {"fact": 0, "deadline": 1, "police": 2, "change": 3, "report": 4, "alert": 5, "note": 6}
    return sorted(
        events, key=lambda e: (e.at, order.get(e.kind, len(order)), getattr(e.obj, "pk", 0))
    )


def _final_deadline(incident: Incident, reports: list[Report], now: datetime) -> list[Event]:
    """Once the incident is declared over, the final report is due by the end of its
    working-day deadline: met, late by how much, overdue while it has not come, or still
    open. Before that no final report is due, however long the incident lasts."""
    due = incident.final_due_at()
    if due is None:
        return []
    final = next((r for r in reports if r.stage == Stage.FINAL and not r.amends_id), None)
    if final is not None:
        if final.submitted_at > due:
            state = _("late by %(time)s") % {"time": timesince(due, final.submitted_at)}
        else:
            state = _("met")
        late = final.submitted_at > due
    elif incident.final_overdue(now):
        state, late = _("overdue by %(time)s") % {"time": timesince(due, now)}, True
    else:
        state, late = _("by the end of %(day)s") % {"day": incident.final_due_on}, False
    return [Event(due, "deadline", _("Final report due (%(state)s)") % {"state": state}, late=late)]


def _supplementary_deadline(change: CasualtyChange, now: datetime) -> list[Event]:
    """A change within the window demands a supplementary report within the forwarding time:
    answered in time or late, overdue, or still open."""
    due = change.report_due_at
    if due is None:
        return []
    answer = change.answered_by
    if answer is not None:
        late = answer.submitted_at > due
        state = (
            _("late by %(time)s") % {"time": timesince(due, answer.submitted_at)}
            if late
            else _("met")
        )
    elif now > due:
        state, late = _("overdue by %(time)s") % {"time": timesince(due, now)}, True
    else:
        state, late = _("pending"), False
    title = _("Supplementary report due (%(state)s)") % {"state": state}
    return [Event(due, "deadline", title, late=late)]
