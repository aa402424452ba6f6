"""Filing the stages: the initial report that opens an incident, follow-ups, the final report
and amendments, with their attachments; the incident's current figures and grade follow the
latest report in force."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.evidence import evidence_attach_many
from audit_portal.core.history import save_audited
from incidents.grading import grade_for
from incidents.models import (
    FIGURES,
    NARRATIVE_FIELDS,
    STAGE_FIELDS,
    Incident,
    Kind,
    Report,
    Stage,
    minutes_late,
)
from incidents.policies import incident_policy, report_policy
from incidents.services.alerts import _alert
from incidents.services.common import _locked, _not_future
from incidents.services.police import _police
from incidents.services.situation import _answer_changes, _declare_over
from inspections.models import Institution
from residents.models import Resident
from residents.selectors import residents_for

# The kinds of incident that name the resident on record.
RESIDENT_KINDS = (Kind.MISSING, Kind.DEATH)


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


def _check_resident(
    resident: Resident | None, *, kind: str, institution: Institution | None, actor: User
) -> None:
    """A missing-person or death incident may name one of the institution's residents on
    record, among those the reporter may see."""
    if resident is None:
        return
    if kind not in RESIDENT_KINDS:
        raise ValidationError(
            {"resident": _("Only a missing resident or a death names a resident.")}
        )
    in_scope = residents_for(actor).filter(pk=resident.pk).exists()
    if institution is None or resident.institution_id != institution.pk or not in_scope:
        raise ValidationError({"resident": _("Choose one of the institution's residents.")})


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
    resident: Resident | None = None,
) -> Incident:
    """Open an incident with its initial report (初报). The receipt time is the server's."""
    incident_policy.require_report_for(actor, institution=institution, station=station)
    _check_resident(resident, kind=kind, institution=institution, actor=actor)
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
        resident=resident,
    )
    _set_found(incident, resident_found_at, now)
    _apply_figures(incident, _figures(figures))
    save_audited(incident, actor=actor)
    _police(incident, police, actor=actor, now=now)
    # A police record owed (a death, a resident missing for over an hour, suspected abuse) never
    # holds the report back: refusing it would make it late. It stays an overdue item of its
    # own until recorded, and the final report and the closure wait for it.
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
    incident_policy.require("follow_up", actor, incident)
    now = timezone.now()
    _police(incident, police, actor=actor, now=now)
    if resident_found_at is not None:
        _set_found(incident, resident_found_at, now)
    # A follow-up is never refused for a missing police record: news must reach the bureau.
    # The record stays flagged as overdue, and the final report waits for it.
    report = _save_report(incident, Stage.FOLLOWUP, actor, now, fields, figures, uploads=uploads)
    _answer_changes(incident, report, actor)
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
    over_reason: str = "",
    missing_confirmed: bool = False,
) -> Report:
    """The final report (终报): once the incident is over; nothing but amendments after it.
    An incident not yet declared over is declared so with it (``over_reason``), so that the
    reporter need not take two steps; residents still missing are stated knowingly
    (``missing_confirmed``), never in passing."""
    incident = _locked(incident)
    incident_policy.require("final", actor, incident)
    now = timezone.now()
    event_time = fields.get("event_time")
    _not_future(event_time, "event_time", now)
    missing = figures.get("missing_count") or 0
    if missing > 0 and not missing_confirmed:
        raise ValidationError(
            {
                "missing_confirmed": _(
                    "The final report says %(n)d resident(s) still missing: confirm that it is "
                    "filed with them still missing."
                )
                % {"n": missing}
            }
        )
    if incident.over_at is None:
        _declare_over(incident, actor, over_reason, now)
    report = _save_report(incident, Stage.FINAL, actor, now, fields, figures, uploads=uploads)
    _answer_changes(incident, report, actor)
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
    report.incident = incident  # the policy reads the incident as locked, not as passed in
    report_policy.require("amend", actor, report)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the report is corrected.")})
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
    if amendment.stage == Stage.FINAL:
        # After the final report, a change in casualties is answered by correcting it.
        _answer_changes(incident, amendment, actor)
    _update_incident(incident, actor, _("Amendment: %(reason)s") % {"reason": reason.strip()})
    _alert(amendment, now)
    return amendment


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


def reports_in_force(incident: Incident, reports: list[Report] | None = None) -> list[Report]:
    """The latest version of each stage filed, in the order the stages were first filed
    (``reports``: every version, when the caller has already read them)."""
    if reports is None:
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
