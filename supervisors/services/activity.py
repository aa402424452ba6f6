"""The supervisors' activity: complaints they forward and suggestions they make, their handling by
civil affairs, and the trainings and symposiums they attend."""

import datetime

from django.db import transaction

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited, stamp
from inspections.models import Institution
from supervisors import events
from supervisors.models import Complaint, Event, Suggestion, Supervisor
from supervisors.policies import (
    complaint_policy,
    event_policy,
    suggestion_policy,
)
from supervisors.services.common import _today


@transaction.atomic
def complaint_forward(
    *,
    supervisor: Supervisor,
    received_on: datetime.date,
    summary: str,
    institution: Institution | None,
    actor: User,
) -> Complaint:
    complaint_policy.require_forward_for(actor, supervisor)
    complaint = Complaint(
        supervisor=supervisor, received_on=received_on, summary=summary, institution=institution
    )
    save_audited(complaint, actor=actor)
    events.complaint_forwarded(complaint, actor=actor)
    return complaint


@transaction.atomic
def complaint_update(
    *, complaint: Complaint, status: str, note: str, actor: User, reason: str = ""
) -> Complaint:
    """The handling of a forwarded complaint; the history keeps ``reason`` (the handling note
    when no separate reason is given, as on the complaints page)."""
    complaint_policy.require("update", actor, complaint)
    complaint.status = status
    complaint.handling_note = note
    return save_audited(complaint, actor=actor, reason=reason or note)


@transaction.atomic
def suggestion_make(
    *, supervisor: Supervisor, text: str, institution: Institution | None, actor: User
) -> Suggestion:
    suggestion_policy.require_make_for(actor, supervisor)
    suggestion = Suggestion(
        supervisor=supervisor, text=text, institution=institution, made_on=_today()
    )
    return save_audited(suggestion, actor=actor)


@transaction.atomic
def suggestion_respond(
    *, suggestion: Suggestion, response: str, actor: User, reason: str = ""
) -> Suggestion:
    """Civil affairs' response to a supervisor's suggestion."""
    suggestion_policy.require("respond", actor, suggestion)
    suggestion.response = response
    return save_audited(suggestion, actor=actor, reason=reason)


@transaction.atomic
def event_record(
    *,
    kind: str,
    title: str,
    held_on: datetime.date,
    place: str,
    attendees: list[Supervisor],
    actor: User,
) -> Event:
    event_policy.require_record_for(actor)
    event = save_audited(Event(kind=kind, title=title, held_on=held_on, place=place), actor=actor)
    event.attendees.set(attendees)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: User,
    reason: str = "",
    kind: str,
    title: str,
    held_on: datetime.date,
    place: str,
    attendees: list[Supervisor],
) -> Event:
    """Correct a training or symposium: its details and who attended."""
    event_policy.require("update", actor, event)
    event.kind, event.title, event.held_on, event.place = kind, title, held_on, place
    save_audited(event, actor=actor, reason=reason)
    # A change of attendees writes its own history row: it carries the same actor and reason.
    stamp(event, actor=actor, reason=reason)
    event.attendees.set(attendees)
    return event
