"""Who may do what to an incident, now (see ``audit_portal/core/policy.py``).

The reporting body (the institution's own accounts, or a rescue station's own staff for an
incident at the station) files the stages, amends its reports and records the police call; the
staff of the supervising bodies that see the incident acknowledge it and comment, and the county
and city bureaus close it once the final report is in. An alert is read by the organisation it
was sent to.

One policy per model: ``IncidentPolicy`` (its stages, police records, notes and closure, and
``report_for`` for a new incident, which has no object yet), ``ReportPolicy`` (amending one
version of a stage) and ``AlertPolicy`` (marking an alert read).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.policy import Policy, Refusal, deny, not_now, once
from incidents.chain import forward_level, owes_forwarding
from incidents.models import (
    Alert,
    Incident,
    Kind,
    Note,
    PoliceRecord,
    Regulator,
    Report,
    Stage,
    missing_person_police_delay,
    regulators_missing,
)
from incidents.selectors import incidents_for
from inspections.models import Institution

Status = Incident.Status


def _reporting_body(user: User, *, institution_id: int | None, station_id: int | None) -> bool:
    """The institution's own accounts, or the station's own staff, with the right to report."""
    if not user.is_authenticated or not user.has_perm("incidents.report_incident"):
        return False
    if institution_id is not None:
        return user.is_institution_user and user.institution_id == institution_id
    if station_id is not None:
        return user.is_civil_affairs_staff and user.organisation_id == station_id
    return False


def police_message(incident: Incident) -> str:
    """Why nothing more may be done until the police record is in."""
    if incident.kind == Kind.MISSING and incident.deaths == 0:
        return _(
            "The resident was not found within %(delay)s: record the report to the police "
            "(time, police station, case number) first."
        ) % {"delay": missing_person_police_delay()}
    if incident.kind == Kind.ABUSE:
        return _("Suspected abuse must be referred to the police: record the referral first.")
    return _("A death must be reported to the police (110) at once: record the call first.")


def police_owed(incident: Incident, now: datetime.datetime) -> Refusal | None:
    """A police record is owed by ``now`` and not recorded: the final report and the closure
    wait for it (a follow-up never does: news must reach the bureau)."""
    if incident.police_outstanding(now):
        return not_now(police_message(incident))
    return None


def closing_missing(incident: Incident, now: datetime.datetime) -> list[str]:
    """What an incident still lacks before it may be closed (empty: nothing): the final
    report, the police record it owes, the reports to the safety regulators its kind requires."""
    missing = []
    if incident.status == Status.OPEN:
        missing.append(_("the final report"))
    if incident.police_outstanding(now):
        label = PoliceRecord.Kind(incident.police_record_kind()).label
        missing.append(_("the police record (%(kind)s)") % {"kind": label})
    missing.extend(
        _("the report to the regulator: %(regulator)s") % {"regulator": Regulator(code).label}
        for code in regulators_missing(incident)
    )
    return missing


def closing_refusal(missing: list[str]) -> str:
    return _("The incident cannot be closed yet. Still missing: %(missing)s.") % {
        "missing": "; ".join(missing)
    }


def _has_initial(incident: Incident) -> bool:
    return once(
        ("has_initial", incident.pk),
        lambda: incident.reports.filter(stage=Stage.INITIAL).exists(),
    )


class IncidentPolicy(Policy):
    actions = (
        "follow_up",
        "final",
        "amend",
        "police_record",
        "declare_over",
        "record_change",
        "acknowledge",
        "comment",
        "close",
        "forward",
        "record_regulator",
    )

    def __init__(self, now: datetime.datetime | None = None):
        self.now = now

    def _now(self) -> datetime.datetime:
        return self.now or timezone.now()

    # A new incident: the place, not yet an object ---------------------------------------------

    def report_for(
        self,
        user: User,
        *,
        institution: Institution | None = None,
        station: Organisation | None = None,
    ) -> Refusal | None:
        """Open an incident at a place with its initial report: its reporting body only."""
        if _reporting_body(
            user,
            institution_id=institution.pk if institution is not None else None,
            station_id=station.pk if station is not None else None,
        ):
            return None
        return deny()

    def allows_report_for(self, user: User, **place) -> bool:
        return self.report_for(user, **place) is None

    def require_report_for(self, user: User, **place) -> None:
        refusal = self.report_for(user, **place)
        if refusal is not None:
            raise PermissionDenied(refusal.message)

    # The reporting body ----------------------------------------------------------------------

    def _reporter(self, user: User, incident: Incident) -> Refusal | None:
        if _reporting_body(
            user, institution_id=incident.institution_id, station_id=incident.station_id
        ):
            return None
        return deny()

    def follow_up(self, user: User, incident: Incident) -> Refusal | None:
        """Any number of follow-ups, after the initial report and before the final one."""
        if refusal := self._reporter(user, incident):
            return refusal
        if not _has_initial(incident):
            return not_now(_("A follow-up report comes after the initial report."))
        if incident.status != Status.OPEN:
            return not_now(_("The final report has been filed: no further follow-ups."))
        return None

    def final(self, user: User, incident: Incident) -> Refusal | None:
        """Once, after the initial report, and not while a police record is owed."""
        if refusal := self._reporter(user, incident):
            return refusal
        if not _has_initial(incident):
            return not_now(_("The final report comes after the initial report."))
        if incident.status != Status.OPEN:
            return not_now(_("The final report has already been filed."))
        return police_owed(incident, self._now())

    def amend(self, user: User, incident: Incident) -> Refusal | None:
        """Correct its reports (which version: ``ReportPolicy.amend``) until it is closed."""
        if refusal := self._reporter(user, incident):
            return refusal
        if incident.is_closed():
            return not_now(_("The incident is closed: its reports can no longer be amended."))
        return None

    def declare_over(self, user: User, incident: Incident) -> Refusal | None:
        """The situation is over (事态平息): said once, with a reason, by the reporting body or
        staff of a bureau that may close the incident, before the final report (which may
        declare it itself)."""
        if self._reporter(user, incident) and self._receiver(
            user, incident, "incidents.close_incident"
        ):
            return deny()
        if not _has_initial(incident):
            return not_now(_("An incident is declared over after its initial report."))
        if incident.status != Status.OPEN:
            return not_now(_("The final report has been filed: the incident is over."))
        if incident.over_at is not None:
            return not_now(_("The incident has already been declared over."))
        return None

    def record_change(self, user: User, incident: Incident) -> Refusal | None:
        """A change in casualties, recorded by the reporting body until the incident is closed
        (within the supplementary window it demands a supplementary report)."""
        if refusal := self._reporter(user, incident):
            return refusal
        if not _has_initial(incident):
            return not_now(_("A change in casualties comes after the initial report."))
        if incident.is_closed():
            return not_now(_("The incident is closed."))
        return None

    def police_record(self, user: User, incident: Incident) -> Refusal | None:
        """Record the police call, for a kind of incident that owes one, until it is closed."""
        if refusal := self._reporter(user, incident):
            return refusal
        if incident.is_closed():
            return not_now(_("The incident is closed."))
        if incident.police_record_kind() is None:
            return not_now(_("This kind of incident needs no police record here."))
        return None

    # The supervising bodies ------------------------------------------------------------------

    def _receiver(self, user: User, incident: Incident, perm: str) -> Refusal | None:
        """Staff with the right, of a body that sees the incident."""
        if not user.has_perm(perm) or not once(
            ("in_scope", user.pk, incident.pk),
            lambda: incidents_for(user).filter(pk=incident.pk).exists(),
        ):
            return deny()
        return None

    def acknowledge(self, user: User, incident: Incident) -> Refusal | None:
        """Once per organisation."""
        if refusal := self._receiver(user, incident, "incidents.acknowledge_incident"):
            return refusal
        if incident.notes.filter(
            kind=Note.Kind.ACKNOWLEDGEMENT, organisation_id=user.organisation_id
        ).exists():
            return not_now(_("Your organisation has already acknowledged this incident."))
        return None

    def comment(self, user: User, incident: Incident) -> Refusal | None:
        return self._receiver(user, incident, "incidents.acknowledge_incident")

    def close(self, user: User, incident: Incident) -> Refusal | None:
        """After the final report, with every police record and regulator report it owes (the
        reason for closing is the service's to require)."""
        if refusal := self._receiver(user, incident, "incidents.close_incident"):
            return refusal
        if incident.is_closed():
            return not_now(_("The incident is already closed."))
        if missing := closing_missing(incident, self._now()):
            return not_now(closing_refusal(missing))
        return None

    # The reporting chain (逐级上报, the safety regulators): ``incidents/chain.py`` -----------

    def forward(self, user: User, incident: Incident) -> Refusal | None:
        """Staff of the bureau that forwards its reports one level up: the county bureau that
        first receives them (to the city), the city bureau (to the province); while a report it
        has received waits to be forwarded. Which report, the service checks."""
        if not user.has_perm("incidents.acknowledge_incident"):
            return deny()
        level = forward_level(user, incident)
        if level is None:
            return deny()
        if not owes_forwarding(level, incident, self._now()):
            return not_now(_("No report is waiting to be forwarded."))
        return None

    def record_regulator(self, user: User, incident: Incident) -> Refusal | None:
        """Record that a safety regulator was told: the reporting body, or staff of the county
        or city bureau over it, until it is closed."""
        if self._reporter(user, incident) is not None and forward_level(user, incident) is None:
            return deny()
        if incident.is_closed():
            return not_now(_("The incident is closed."))
        return None


incident_policy = IncidentPolicy()


class ReportPolicy(Policy):
    """One version of a stage: the latest version is amended, while the incident allows it."""

    actions = ("amend",)

    def __init__(self, incidents: IncidentPolicy = incident_policy):
        self.incidents = incidents

    def amend(self, user: User, report: Report) -> Refusal | None:
        if refusal := self.incidents.amend(user, report.incident):
            return refusal
        if report.is_superseded:
            return not_now(_("This version has already been amended: amend the latest one."))
        return None


report_policy = ReportPolicy()


class AlertPolicy(Policy):
    actions = ("read",)

    def read(self, user: User, alert: Alert) -> Refusal | None:
        """Staff of the organisation it was sent to (once read, reading it again changes
        nothing)."""
        if user.is_civil_affairs_staff and user.organisation_id == alert.recipient_id:
            return None
        return deny()


alert_policy = AlertPolicy()
