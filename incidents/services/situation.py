"""How the situation develops: changes in casualties (within Order 493's window each demands a
supplementary report) and the incident declared over (事态平息), which starts the final report's
working-day deadline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from audit_portal.rules import rules
from incidents import events
from incidents.models import CasualtyChange, Incident, Report
from incidents.policies import incident_policy
from incidents.selectors import known_casualties
from incidents.services.alerts import alert_recipients
from incidents.services.common import _locked
from inspections.workdays import add_working_days

CASUALTIES = ("deaths", "serious_injuries", "missing_count")


@transaction.atomic
def incident_declare_over(*, incident: Incident, actor: User, reason: str) -> Incident:
    """The reporting body or the supervising bureau says the situation is over, and why; the
    final report is due ``incident_final_report_workdays`` working days later."""
    incident = _locked(incident)
    incident_policy.require("declare_over", actor, incident)
    _declare_over(incident, actor, reason, timezone.now())
    return incident


def _declare_over(incident: Incident, actor: User, reason: str, now: datetime.datetime) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"over_reason": _("Say why the incident is over (the situation has calmed down).")}
        )
    incident.over_at = now
    incident.over_by = actor
    incident.over_reason = reason
    incident.final_due_on = add_working_days(
        timezone.localdate(now), rules().incident_final_report_workdays
    ).day
    save_audited(incident, actor=actor, reason=_("Declared over: %(reason)s") % {"reason": reason})


@transaction.atomic
def casualties_change(
    *,
    incident: Incident,
    actor: User,
    deaths: int,
    serious_injuries: int,
    missing_count: int,
    what_changed: str,
) -> CasualtyChange:
    """Record a change in casualties. Within the supplementary window
    (``Incident.followup_window_ends_at``) it demands a supplementary report within
    ``incident_forwarding_minutes``; after it, it is on record and demands nothing. The bodies
    alerted to the incident hear of it at once."""
    incident = _locked(incident)
    incident_policy.require("record_change", actor, incident)
    what_changed = (what_changed or "").strip()
    if not what_changed:
        raise ValidationError({"what_changed": _("Say what changed.")})
    figures = {
        "deaths": deaths,
        "serious_injuries": serious_injuries,
        "missing_count": missing_count,
    }
    if any(value is None or value < 0 for value in figures.values()):
        raise ValidationError(_("Figures cannot be negative."))
    known = known_casualties(incident)
    if all(figures[name] == known[name] for name in CASUALTIES):
        raise ValidationError(
            _(
                "Nothing has changed: %(deaths)d dead, %(serious)d seriously injured and "
                "%(missing)d missing are the figures already known."
            )
            % {
                "deaths": known["deaths"],
                "serious": known["serious_injuries"],
                "missing": known["missing_count"],
            }
        )
    now = timezone.now()
    change = save_audited(
        CasualtyChange(
            incident=incident,
            **figures,
            what_changed=what_changed,
            recorded_at=now,
            recorded_by=actor,
            # "30日内": the window's last moment still counts.
            demands_report=now <= incident.followup_window_ends_at,
        ),
        actor=actor,
    )
    events.casualties_changed(change, alert_recipients(incident), actor=actor)
    return change


def _answer_changes(incident: Incident, report: Report, actor: User) -> None:
    """A report filed after changes in casualties answers every change not yet answered."""
    for change in incident.casualty_changes.filter(answered_by__isnull=True):
        change.answered_by = report
        save_audited(change, actor=actor)
