"""Writes for incident reports. Every function is atomic, takes the acting user, stamps times
from the server clock and writes the history; alerts are mailed after the commit.

Who may write: the reporting body (the institution's own accounts, or the station's staff for an
incident at a rescue station) files the stages, amendments and police records; staff of the
supervising bodies acknowledge, comment and close. Pages check scope first (404); these
functions refuse a write by someone in scope without the right (PermissionDenied).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.evidence import evidence_attach_many
from audit_portal.core.history import save_audited
from incidents.grading import Grade, grade_for
from incidents.models import (
    FIGURES,
    NARRATIVE_FIELDS,
    STAGE_FIELDS,
    Alert,
    Incident,
    Kind,
    Note,
    PoliceRecord,
    Report,
    Stage,
    minutes_late,
)
from inspections.models import CustodyAgreement, Institution

# What the city bureau must always hear about, whatever the grade.
CITY_KINDS = {Kind.DEATH, Kind.MISSING}


# Who may report ----------------------------------------------------------------------------------


def may_report_for(user: User, *, institution=None, station=None) -> bool:
    """The reporting body: the institution's own accounts, or a station's own staff."""
    if not user.is_authenticated or not user.has_perm("incidents.report_incident"):
        return False
    if institution is not None:
        return user.is_institution_user and user.institution_id == institution.pk
    if station is not None:
        return user.is_civil_affairs_staff and user.organisation_id == station.pk
    return False


def may_report(user: User, incident: Incident) -> bool:
    return may_report_for(user, institution=incident.institution, station=incident.station)


def _require_reporter(user: User, incident: Incident) -> None:
    if not may_report(user, incident):
        raise PermissionDenied


def _require_staff(user: User, incident: Incident, perm: str) -> None:
    from incidents.selectors import incidents_for

    if not user.has_perm(perm) or not incidents_for(user).filter(pk=incident.pk).exists():
        raise PermissionDenied


# Validation helpers ------------------------------------------------------------------------------


def _not_future(value: datetime.datetime | None, field: str, now: datetime.datetime) -> None:
    if value is not None and value > now:
        raise ValidationError({field: _("This time is in the future.")})


def _figures(figures: dict) -> dict:
    values = {name: figures.get(name) for name in FIGURES}
    if any(value is None for value in values.values()):
        raise ValidationError(_("Give every figure (deaths, serious injuries, loss, missing)."))
    if any(Decimal(value) < 0 for value in values.values()):
        raise ValidationError(_("Figures cannot be negative."))
    return values


def _narrative(stage: Stage, fields: dict) -> dict:
    stray = set(fields) - set(STAGE_FIELDS[stage])
    if stray & set(NARRATIVE_FIELDS) or stray - set(NARRATIVE_FIELDS):
        raise ValidationError(_("A report carries only the fields of its own stage."))
    return {name: fields.get(name) for name in STAGE_FIELDS[stage]}


def _police(
    incident: Incident, police: dict | None, *, actor: User, now: datetime.datetime
) -> PoliceRecord | None:
    if not police:
        return None
    if incident.police_record_kind() is None:
        raise ValidationError(_("This kind of incident needs no police record here."))
    reported_at = police.get("reported_at")
    if reported_at is not None and reported_at < incident.occurred_at:
        raise ValidationError(
            {"police_reported_at": _("The police were called before it happened.")}
        )
    _not_future(reported_at, "police_reported_at", now)
    record = PoliceRecord(
        incident=incident,
        kind=incident.police_record_kind(),
        reported_at=reported_at,
        police_station=(police.get("police_station") or "").strip(),
        case_number=(police.get("case_number") or "").strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    return save_audited(record, actor=actor)


def _refuse_without_police(incident: Incident, now: datetime.datetime) -> None:
    if incident.police_outstanding(now):
        raise ValidationError(_police_message(incident))


def _police_message(incident: Incident) -> str:
    if incident.kind == Kind.MISSING and incident.deaths == 0:
        return _(
            "The resident was not found within the hour: record the report to the police "
            "(time, police station, case number) first."
        )
    if incident.kind == Kind.ABUSE:
        return _("Suspected abuse must be referred to the police: record the referral first.")
    return _("A death must be reported to the police (110) at once: record the call first.")


# Filing the stages -------------------------------------------------------------------------------


@transaction.atomic
def incident_report(
    *,
    actor: User,
    kind: str,
    occurred_at: datetime.datetime,
    discovered_at: datetime.datetime,
    fields: dict,
    figures: dict,
    institution: Institution | None = None,
    station: Organisation | None = None,
    police: dict | None = None,
    resident_found_at: datetime.datetime | None = None,
    uploads: list[UploadedFile] = (),
) -> Incident:
    """Open an incident with its initial report (初报). The receipt time is the server's."""
    if not may_report_for(actor, institution=institution, station=station):
        raise PermissionDenied
    now = timezone.now()
    if discovered_at < occurred_at:
        raise ValidationError({"discovered_at": _("It cannot be discovered before it happened.")})
    _not_future(occurred_at, "occurred_at", now)
    _not_future(discovered_at, "discovered_at", now)
    incident = Incident(
        institution=institution,
        station=station,
        kind=kind,
        occurred_at=occurred_at,
        discovered_at=discovered_at,
        reported_at=now,
        reported_by=actor,
        late_minutes=minutes_late(discovered_at, now),
    )
    _set_found(incident, resident_found_at, now)
    _apply_figures(incident, _figures(figures))
    save_audited(incident, actor=actor)
    _police(incident, police, actor=actor, now=now)
    # A death (of any kind of incident) is reported to the police at once, and a resident
    # missing for over an hour too: such an initial report comes with the police record.
    # Suspected abuse may be referred after the report; it stays flagged until it is, and
    # the final report waits.
    if incident.kind in (Kind.DEATH, Kind.MISSING) or incident.deaths > 0:
        _refuse_without_police(incident, now)
    report = _save_report(incident, Stage.INITIAL, actor, now, fields, figures, uploads=uploads)
    _alert(report, now)
    return incident


@transaction.atomic
def report_followup(
    *,
    incident: Incident,
    actor: User,
    fields: dict,
    figures: dict,
    police: dict | None = None,
    resident_found_at: datetime.datetime | None = None,
    uploads: list[UploadedFile] = (),
) -> Report:
    """A follow-up (续报): any number, after the initial and before the final report."""
    incident = _locked(incident)
    _require_reporter(actor, incident)
    if not incident.reports.filter(stage=Stage.INITIAL).exists():
        raise ValidationError(_("A follow-up report comes after the initial report."))
    if incident.status != Incident.Status.OPEN:
        raise ValidationError(_("The final report has been filed: no further follow-ups."))
    now = timezone.now()
    _police(incident, police, actor=actor, now=now)
    if resident_found_at is not None:
        _set_found(incident, resident_found_at, now)
    # A follow-up is never refused for a missing police record: news must reach the bureau.
    # The record stays flagged as overdue, and the final report waits for it.
    report = _save_report(incident, Stage.FOLLOWUP, actor, now, fields, figures, uploads=uploads)
    _update_incident(incident, actor, _("Follow-up report"))
    _alert(report, now)
    return report


@transaction.atomic
def report_final(
    *,
    incident: Incident,
    actor: User,
    fields: dict,
    figures: dict,
    uploads: list[UploadedFile] = (),
) -> Report:
    """The final report (终报): once the incident is over; nothing but amendments after it."""
    incident = _locked(incident)
    _require_reporter(actor, incident)
    if not incident.reports.filter(stage=Stage.INITIAL).exists():
        raise ValidationError(_("The final report comes after the initial report."))
    if incident.status != Incident.Status.OPEN:
        raise ValidationError(_("The final report has already been filed."))
    now = timezone.now()
    _refuse_without_police(incident, now)
    event_time = fields.get("event_time")
    _not_future(event_time, "event_time", now)
    report = _save_report(incident, Stage.FINAL, actor, now, fields, figures, uploads=uploads)
    incident.status = Incident.Status.FINAL
    _update_incident(incident, actor, _("Final report"))
    _alert(report, now)
    return report


@transaction.atomic
def report_amend(
    *,
    report: Report,
    actor: User,
    reason: str,
    fields: dict,
    figures: dict,
    uploads: list[UploadedFile] = (),
) -> Report:
    """Correct a submitted report: a new version that supersedes it; the original stays."""
    incident = _locked(report.incident)
    _require_reporter(actor, incident)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the report is corrected.")})
    if incident.is_closed():
        raise ValidationError(_("The incident is closed: its reports can no longer be amended."))
    if Report.objects.filter(amends=report).exists():
        raise ValidationError(_("This version has already been amended: amend the latest one."))
    now = timezone.now()
    amendment = _save_report(
        incident,
        Stage(report.stage),
        actor,
        now,
        fields,
        figures,
        amends=report,
        reason=reason,
        uploads=uploads,
    )
    _update_incident(incident, actor, _("Amendment: %(reason)s") % {"reason": reason.strip()})
    _alert(amendment, now)
    return amendment


@transaction.atomic
def police_record_add(
    *,
    incident: Incident,
    actor: User,
    reported_at: datetime.datetime,
    police_station: str,
    case_number: str,
    resident_found_at: datetime.datetime | None = None,
) -> PoliceRecord:
    incident = _locked(incident)
    _require_reporter(actor, incident)
    if incident.is_closed():
        raise ValidationError(_("The incident is closed."))
    now = timezone.now()
    record = _police(
        incident,
        {"reported_at": reported_at, "police_station": police_station, "case_number": case_number},
        actor=actor,
        now=now,
    )
    return record


def _set_found(incident: Incident, found_at, now) -> None:
    if found_at is None:
        return
    if incident.kind != Kind.MISSING:
        raise ValidationError(_("Only a missing resident can be found."))
    if found_at < incident.discovered_at:
        raise ValidationError(
            {"resident_found_at": _("The resident was found before they were missed.")}
        )
    _not_future(found_at, "resident_found_at", now)
    incident.resident_found_at = found_at


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _save_report(
    incident: Incident,
    stage: Stage,
    actor: User,
    now: datetime.datetime,
    fields: dict,
    figures: dict,
    *,
    amends: Report | None = None,
    reason: str = "",
    uploads: list[UploadedFile] = (),
) -> Report:
    """Save one stage with its attachments (photos, scans: the evidence-file rules); a file
    that breaks a rule refuses the whole report, so nothing half-valid is kept."""
    report = Report(
        incident=incident,
        stage=stage,
        submitted_by=actor,
        submitted_at=now,
        amends=amends,
        amendment_reason=(reason or "").strip(),
        **_narrative(stage, fields),
        **_figures(figures),
    )
    save_audited(report, actor=actor)
    try:
        evidence_attach_many([(report, upload) for upload in uploads], actor=actor)
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from None
    return report


def reports_in_force(incident: Incident) -> list[Report]:
    """The latest version of each stage filed, in the order the stages were first filed."""
    reports = list(incident.reports.all())
    by_pk = {report.pk: report for report in reports}
    superseded = {report.amends_id for report in reports if report.amends_id}

    def root(report: Report) -> Report:
        while report.amends_id:
            report = by_pk[report.amends_id]
        return report

    current = [report for report in reports if report.pk not in superseded]
    return sorted(current, key=lambda r: (root(r).submitted_at, root(r).pk))


def _apply_figures(incident: Incident, figures: dict) -> None:
    for name, value in figures.items():
        setattr(incident, name, value)
    incident.grade = grade_for(
        deaths=incident.deaths,
        serious_injuries=incident.serious_injuries,
        direct_loss=incident.direct_loss,
    )


def _update_incident(incident: Incident, actor: User, reason: str) -> None:
    """Current figures are those of the latest stage in force; the grade follows them."""
    latest = reports_in_force(incident)[-1]
    _apply_figures(incident, {name: getattr(latest, name) for name in FIGURES})
    save_audited(incident, actor=actor, reason=reason)


# Alerts ------------------------------------------------------------------------------------------


def alert_recipients(incident: Incident) -> list[Organisation]:
    """The supervising county bureau and the placing stations (a station incident: the bureau
    above it); the city bureau too for a death (whatever the kind), a missing resident or a
    grade of 较大 or above."""
    recipients: list[Organisation] = []
    if incident.institution_id:
        county = incident.institution.county
        recipients.append(county)
        recipients.extend(
            Organisation.objects.filter(
                agreements__institution_id=incident.institution_id,
                agreements__status=CustodyAgreement.Status.ACTIVE,
            )
            .distinct()
            .order_by("pk")
        )
        city = county.city
    else:
        recipients.append(incident.station.parent)
        city = incident.station.city
    if incident.kind in CITY_KINDS or incident.deaths > 0 or incident.grade >= Grade.LARGER:
        recipients.append(city)
    unique: dict[int, Organisation] = {}
    for organisation in recipients:
        unique.setdefault(organisation.pk, organisation)
    return list(unique.values())


def _alert(report: Report, now: datetime.datetime) -> list[Alert]:
    from incidents.tasks import send_alert_mail

    alerts = [
        Alert.objects.create(incident=report.incident, report=report, recipient=org, created_at=now)
        for org in alert_recipients(report.incident)
    ]
    for alert in alerts:
        transaction.on_commit(lambda pk=alert.pk: send_alert_mail.enqueue(alert_id=pk))
    return alerts


@transaction.atomic
def alert_mark_read(*, alert: Alert, actor: User) -> Alert:
    if not (actor.is_civil_affairs_staff and actor.organisation_id == alert.recipient_id):
        raise PermissionDenied
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.read_by = actor
        save_audited(alert, actor=actor)
    return alert


# Staff -------------------------------------------------------------------------------------------


@transaction.atomic
def incident_acknowledge(*, incident: Incident, actor: User) -> Note:
    """Staff confirm their body has taken note; the body's alerts for the incident are read."""
    _require_staff(actor, incident, "incidents.acknowledge_incident")
    if incident.notes.filter(
        kind=Note.Kind.ACKNOWLEDGEMENT, organisation_id=actor.organisation_id
    ).exists():
        raise ValidationError(_("Your organisation has already acknowledged this incident."))
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
    _require_staff(actor, incident, "incidents.acknowledge_incident")
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
    """The supervising bureau closes the incident once the final report is in."""
    incident = _locked(incident)
    _require_staff(actor, incident, "incidents.close_incident")
    if incident.status != Incident.Status.FINAL:
        raise ValidationError(_("An incident is closed only after its final report."))
    now = timezone.now()
    _refuse_without_police(incident, now)
    incident.status = Incident.Status.CLOSED
    incident.closed_at = now
    incident.closed_by = actor
    save_audited(incident, actor=actor, reason=text.strip() or pgettext("incident", "Closed"))
    save_audited(
        Note(
            incident=incident,
            kind=Note.Kind.CLOSURE,
            text=text.strip(),
            author=actor,
            organisation=actor.organisation,
            created_at=now,
        ),
        actor=actor,
    )
    return incident
