"""Writes of the reporting chain: a report forwarded one level up (逐级上报), a safety regulator
recorded as told, and the incident's stored next forwarding due time kept current.

Who owes which forwarding, and when its clock starts, is read in ``incidents/chain.py``.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from incidents import events
from incidents.chain import (
    chain_of,
    forget_chain,
    forward_level,
    forwarding_clocks,
    next_forwarding_due,
)
from incidents.models import Channel, Forwarding, Incident, Regulator, RegulatorReport, Report
from incidents.policies import incident_policy
from incidents.services.common import _locked, _not_future

Level = Forwarding.Level


def forwarding_refresh(incident: Incident, now: datetime.datetime | None = None) -> None:
    """Store the earliest forwarding still owed on the incident (none when nothing is), for
    the lists, home pages and reminders to find on an index. Called whenever a report is filed
    (every report path alerts, ``services.alerts._alert``) and a forwarding is recorded."""
    forget_chain(incident)  # the report or forwarding just saved is read too
    due = next_forwarding_due(forwarding_clocks(incident, now or timezone.now()))
    # A figure derived from the reports and forwardings, not a change anyone makes: written
    # without a history row of its own (the report or forwarding that moved it has one).
    Incident.objects.filter(pk=incident.pk).update(forwarding_due_at=due)
    incident.forwarding_due_at = due


def _already_forwarded(report: Report, level: str) -> bool:
    return Forwarding.objects.filter(report=report, level=level).exists()


def _duplicate(level: str) -> ValidationError:
    if level == Level.TO_CITY:
        return ValidationError(_("This report has already been forwarded to the city bureau."))
    return ValidationError(_("This report has already been forwarded to the province."))


@transaction.atomic
def report_forward(
    *,
    report: Report,
    actor: User,
    level: str,
    channel: str,
    reference: str = "",
    recipient_name: str = "",
) -> Forwarding:
    """Record that the actor's bureau forwarded ``report`` one level up. The time is the
    server's; the clock ran from when the level received the report."""
    incident = _locked(report.incident)
    report.incident = incident
    # Who: the policy. Whether this report is owed at this level: checked here, each refusal
    # with its own reason (the policy's "nothing waiting" would hide which).
    incident_policy.require_role("forward", actor, incident)
    if level not in Level.values:
        raise ValidationError(_("Choose the level the report is forwarded to."))
    if forward_level(actor, incident) != level:
        if level == Level.TO_PROVINCE:
            raise PermissionDenied(_("Only the city bureau's staff forward to the province."))
        raise PermissionDenied(
            _("Only the staff of the county bureau that received the report forward it.")
        )
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the report was sent.")})
    chain = chain_of(incident)
    now = timezone.now()
    clock = next(
        (
            clock
            for row in forwarding_clocks(incident, now, chain=chain)
            if row.report.pk == report.pk
            for clock in row.clocks
            if clock.level == level
        ),
        None,
    )
    if clock is None:
        raise ValidationError(_("This report is not forwarded at that level."))
    if _already_forwarded(report, level):
        raise _duplicate(level)
    if clock.received_at is None:
        raise ValidationError(
            _(
                "The city bureau has not received this report yet: the county bureau "
                "forwards it first."
            )
        )
    recipient_name = (recipient_name or "").strip()
    if level == Level.TO_PROVINCE and not recipient_name:
        raise ValidationError({"recipient_name": _("Name the provincial body it was sent to.")})
    forwarding = Forwarding(
        incident=incident,
        report=report,
        level=level,
        sender_id=actor.organisation_id,
        recipient_id=chain.city_id if level == Level.TO_CITY else None,
        recipient_name=recipient_name if level == Level.TO_PROVINCE else "",
        channel=channel,
        reference=(reference or "").strip(),
        received_at=clock.received_at,
        forwarded_at=now,
        forwarded_by=actor,
    )
    try:
        # A second submit racing this one passes the checks above and fails on the unique
        # constraint: answered with the same message, never a server error.
        with transaction.atomic():
            save_audited(forwarding, actor=actor)
    except IntegrityError:
        raise _duplicate(level) from None
    forwarding_refresh(incident, now)
    events.report_forwarded(forwarding, actor=actor)
    return forwarding


def _already_recorded(incident: Incident, regulator: str) -> bool:
    return RegulatorReport.objects.filter(incident=incident, regulator=regulator).exists()


def _regulator_duplicate() -> ValidationError:
    return ValidationError(
        {"regulator": _("A report to this regulator is already recorded for the incident.")}
    )


@transaction.atomic
def regulator_report_add(
    *,
    incident: Incident,
    actor: User,
    regulator: str,
    notified_at: datetime.datetime,
    notified_by: str,
    authority: str = "",
    reference: str = "",
) -> RegulatorReport:
    """Record that a safety regulator was told of the incident: when (a fact typed by the
    reporter: not in the future, not before the discovery), by whom, which authority and its
    reference. Once per regulator."""
    incident = _locked(incident)
    incident_policy.require("record_regulator", actor, incident)
    now = timezone.now()
    if regulator not in Regulator.values:
        raise ValidationError({"regulator": _("Choose the regulator.")})
    if notified_at is None:
        raise ValidationError({"notified_at": _("Say when the regulator was told.")})
    _not_future(notified_at, "notified_at", now)
    # Typed to the minute: the minute of the discovery itself is not before it.
    if notified_at < incident.discovered_at.replace(second=0, microsecond=0):
        raise ValidationError(
            {"notified_at": _("The regulator cannot have been told before it was discovered.")}
        )
    if not (notified_by or "").strip():
        raise ValidationError({"notified_by": _("Say who told the regulator.")})
    if _already_recorded(incident, regulator):
        raise _regulator_duplicate()
    record = RegulatorReport(
        incident=incident,
        regulator=regulator,
        authority=(authority or "").strip(),
        notified_at=notified_at,
        notified_by=notified_by.strip(),
        reference=(reference or "").strip(),
        recorded_at=now,
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            save_audited(record, actor=actor)
    except IntegrityError:
        raise _regulator_duplicate() from None
    return record
