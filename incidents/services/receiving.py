"""The supervising bodies' side: staff acknowledge, comment on and close an incident."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from incidents.models import Incident, Note
from incidents.policies import closing_missing, closing_refusal, incident_policy
from incidents.services.alerts import alert_mark_read
from incidents.services.common import _locked


@transaction.atomic
def incident_acknowledge(*, incident: Incident, actor: User) -> Note:
    """Staff confirm their body has taken note; the body's alerts for the incident are read."""
    incident_policy.require("acknowledge", actor, incident)
    now = timezone.now()
    note = save_audited(
        Note(
            incident=incident,
            kind=Note.Kind.ACKNOWLEDGEMENT,
            author=actor,
            organisation=actor.organisation,
            created_at=now,
        ),
        actor=actor,
    )
    for alert in incident.alerts.filter(recipient_id=actor.organisation_id, read_at__isnull=True):
        alert_mark_read(alert=alert, actor=actor)
    return note


@transaction.atomic
def incident_comment(*, incident: Incident, actor: User, text: str) -> Note:
    incident_policy.require("comment", actor, incident)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the comment.")})
    return save_audited(
        Note(
            incident=incident,
            kind=Note.Kind.COMMENT,
            text=text.strip(),
            author=actor,
            organisation=actor.organisation,
            created_at=timezone.now(),
        ),
        actor=actor,
    )


@transaction.atomic
def incident_close(*, incident: Incident, actor: User, text: str = "") -> Incident:
    """The supervising bureau closes the incident, a decision with its reason, once nothing is
    missing: the final report, the police record and the regulator reports it owes. A refusal
    lists everything still missing, the reason included."""
    incident = _locked(incident)
    incident_policy.require_role("close", actor, incident)
    if incident.is_closed():
        raise ValidationError(_("The incident is already closed."))
    now = timezone.now()
    text = (text or "").strip()
    missing = closing_missing(incident, now)
    if not text:
        missing.append(_("the reason for closing it"))
    if missing:
        raise ValidationError(closing_refusal(missing))
    incident.status = Incident.Status.CLOSED
    incident.closed_at = now
    incident.closed_by = actor
    save_audited(incident, actor=actor, reason=text)
    save_audited(
        Note(
            incident=incident,
            kind=Note.Kind.CLOSURE,
            text=text,
            author=actor,
            organisation=actor.organisation,
            created_at=now,
        ),
        actor=actor,
    )
    return incident
