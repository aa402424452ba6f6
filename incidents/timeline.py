"""Every stage, amendment, police record, alert and note of an incident, in time order."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from incidents.models import Incident, Stage


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # report, police, alert, note, deadline
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
    events.extend(_final_deadline(incident, now))
    if incident.resident_found_at:
        events.append(Event(incident.resident_found_at, "fact", _("Missing resident found")))
    for report in incident.reports.select_related("submitted_by", "amends"):
        events.append(Event(report.submitted_at, "report", str(report.get_stage_display()), report))
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
    order = {"fact": 0, "deadline": 1, "police": 2, "report": 3, "alert": 4, "note": 5}
    return sorted(events, key=lambda e: (e.at, order[e.kind], getattr(e.obj, "pk", 0)))


def _final_deadline(incident: Incident, now: datetime) -> list[Event]:
    """The final report is due when the follow-up window ends: met, late by how much, or
    overdue while it has not come."""
    due = incident.followup_window_ends_at
    final = incident.reports.filter(stage=Stage.FINAL, amends__isnull=True).first()
    if final is not None:
        late_by = final.late_by
        state = _("late by %(time)s") % {"time": timesince(due, final.submitted_at)}
        return [
            Event(
                due,
                "deadline",
                _("Final report due (%(state)s)") % {"state": state if late_by else _("met")},
                late=bool(late_by),
            )
        ]
    if incident.final_overdue(now):
        state = _("overdue by %(time)s") % {"time": timesince(due, now)}
        return [
            Event(due, "deadline", _("Final report due (%(state)s)") % {"state": state}, late=True)
        ]
    return []
