"""Writes on inspections: plan, start, record results, submit the draft (which raises the issue
list), open it for the institution's comments, finalise; monthly visits; re-checks."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.evidence import evidence_attach_many
from audit_portal.core.history import save_audited
from audit_portal.rules import rules
from inspections import events
from inspections.models import (
    ChecklistTemplate,
    CustodyAgreement,
    Inspection,
    Institution,
    Issue,
    ItemResult,
)
from inspections.policies import inspection_policy
from inspections.selectors.inspections import team_candidates
from inspections.services.issues import issue_raise
from inspections.services.signatures import signatures_missing
from inspections.workdays import add_working_days


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def inspection_plan(
    *,
    institution: Institution,
    kind: str,
    planned_on: datetime.date,
    actor: User,
    template: ChecklistTemplate | None = None,
    team: list[User] | tuple = (),
    agreement: CustodyAgreement | None = None,
) -> Inspection:
    """Plan an inspection; the actor leads it. Supervisors plan only supervisor visits."""
    if not actor.has_perm("inspections.add_inspection"):
        raise PermissionDenied
    if actor.is_supervisor and kind != Inspection.Kind.SUPERVISOR_VISIT:
        raise PermissionDenied(_("Supervisors record supervisor visits only."))
    if kind == Inspection.Kind.MONTHLY_VISIT:
        raise ValidationError({"kind": _("Monthly visits are recorded from the visits page.")})
    if kind in (Inspection.Kind.RECHECK,):
        template = None
    elif template is None:
        raise ValidationError({"template": _("Choose the checklist to inspect with.")})
    if template is not None and not template.is_active:
        raise ValidationError({"template": _("This checklist version has been replaced.")})
    allowed = set(team_candidates(actor, institution).values_list("pk", flat=True))
    strangers = [member for member in team if member.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                "team": _("Not allowed on this institution's team: %(names)s")
                % {"names": "、".join(str(member) for member in strangers)}
            }
        )
    if kind == Inspection.Kind.SUPERVISOR_VISIT and not (
        actor.is_supervisor or any(member.is_supervisor for member in team)
    ):
        raise ValidationError({"team": _("A supervisor visit needs a supervisor on the team.")})
    inspection = save_audited(
        Inspection(
            institution=institution,
            kind=kind,
            template=template,
            agreement=agreement,
            planned_on=planned_on,
            lead=actor,
            created_by=actor,
        ),
        actor=actor,
    )
    inspection.team.set({actor, *team})
    return inspection


@transaction.atomic
def inspection_start(*, inspection: Inspection, actor: User) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection_policy.require("start", actor, inspection)
    inspection.status = Inspection.Status.IN_PROGRESS
    inspection.performed_on = _today()
    save_audited(inspection, actor=actor)
    if inspection.template_id:
        ItemResult.objects.bulk_create(
            ItemResult(inspection=inspection, item=item) for item in inspection.template.items.all()
        )
    return inspection


@transaction.atomic
def inspection_record(
    *,
    inspection: Inspection,
    actor: User,
    results: dict[int, dict],
    photos: dict[int, list[UploadedFile]] | None = None,
    summary: str | None = None,
) -> Inspection:
    """Save item results (``{result_pk: {"result": ..., "note": ...}}``) and their photos."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection_policy.require("record", actor, inspection)
    rows = {row.pk: row for row in inspection.results.select_related("item")}
    now = timezone.now()
    for pk, values in results.items():
        row = rows.get(pk)
        if row is None:
            raise ValidationError(_("A result does not belong to this inspection."))
        result, note = values.get("result", ""), (values.get("note") or "").strip()
        if (row.result, row.note) == (result, note):
            continue
        if result == ItemResult.Result.NONCONFORMING and not note:
            raise ValidationError(
                _("Describe what does not conform for “%(item)s”.") % {"item": row.item.text}
            )
        row.result, row.note, row.recorded_by, row.recorded_at = result, note, actor, now
        save_audited(row, actor=actor)
    if any(pk not in rows for pk in photos or {}):
        raise ValidationError(_("A result does not belong to this inspection."))
    evidence_attach_many(
        [(rows[pk], upload) for pk, uploads in (photos or {}).items() for upload in uploads],
        actor=actor,
    )
    if summary is not None and summary != inspection.summary:
        inspection.summary = summary
        save_audited(inspection, actor=actor)
    return inspection


def default_severity(row: ItemResult) -> str:
    return Issue.Severity.SERIOUS if row.item.critical else Issue.Severity.GENERAL


@transaction.atomic
def inspection_submit(
    *, inspection: Inspection, actor: User, issue_details: dict[int, dict] | None = None
) -> list[Issue]:
    """Submit the draft: every item must have a result, the team lead and the institution's
    representative must have signed (or the representative refused, with the reason), and every
    non-conforming item raises an issue (severity and responsible person from
    ``issue_details`` by result pk)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection_policy.require("submit", actor, inspection)
    rows = list(inspection.results.select_related("item"))
    missing = [row.item.text for row in rows if not row.result]
    if missing:
        raise ValidationError(
            _("%(count)d checklist items have no result yet, e.g. “%(first)s”.")
            % {"count": len(missing), "first": missing[0]}
        )
    # The results were signed on site before anything leaves the team (签字留痕).
    if missing_signatures := signatures_missing(inspection):
        raise ValidationError(missing_signatures)
    details = issue_details or {}
    raised = []
    for row in rows:
        if row.result != ItemResult.Result.NONCONFORMING:
            continue
        detail = details.get(row.pk, {})
        severity = detail.get("severity") or default_severity(row)
        if row.item.critical and severity == Issue.Severity.GENERAL:
            severity = Issue.Severity.SERIOUS  # a critical check fails as at least serious
        raised.append(
            issue_raise(
                institution=inspection.institution,
                inspection=inspection,
                result=row,
                area=row.item.area,
                description=detail.get("description") or row.note,
                severity=severity,
                responsible_person=detail.get("responsible_person")
                or inspection.institution.contact_person,
                actor=actor,
            )
        )
    inspection.status = Inspection.Status.SUBMITTED
    inspection.submitted_at = timezone.now()
    save_audited(inspection, actor=actor)
    return raised


@transaction.atomic
def inspection_open_comments(*, inspection: Inspection, actor: User) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection_policy.require("open_comments", actor, inspection)
    inspection.status = Inspection.Status.COMMENTING
    inspection.comment_deadline = add_working_days(_today(), rules().inspection_comment_days).day
    save_audited(inspection, actor=actor)
    # The institution learns of the issues today: their rectification periods run from today,
    # not from the day the draft was written.
    for issue in inspection.issues.filter(status=Issue.Status.OPEN, raised_on__lt=_today()):
        deadline = add_working_days(_today(), issue.rectification_days)
        issue.original_deadline = issue.deadline = deadline.day
        issue.deadline_official = deadline.official
        save_audited(issue, actor=actor, reason=_("Counted from the day the institution was told"))
    events.report_for_comments(inspection, actor=actor)
    for issue in inspection.issues.select_related("institution"):
        events.issue_raised(issue, actor=actor)
    return inspection


@transaction.atomic
def inspection_comment(*, inspection: Inspection, actor: User, comment: str) -> Inspection:
    """The institution's factual-accuracy comments on the draft report."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection_policy.require("comment", actor, inspection)
    if not comment.strip():
        raise ValidationError({"comment": _("Write your comments.")})
    inspection.institution_comment = comment.strip()
    inspection.institution_commented_at = timezone.now()
    inspection.institution_commented_by = actor
    return save_audited(inspection, actor=actor)


@transaction.atomic
def inspection_finalise(*, inspection: Inspection, actor: User) -> Inspection:
    """Lock the report once the institution has commented or its comment period is over."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection_policy.require("finalise", actor, inspection)
    inspection.status = Inspection.Status.FINAL
    inspection.finalised_at = timezone.now()
    inspection.finalised_by = actor
    return save_audited(inspection, actor=actor)


@transaction.atomic
def visit_record(
    *,
    agreement: CustodyAgreement,
    performed_on: datetime.date,
    residents_seen: int,
    summary: str,
    actor: User,
) -> Inspection:
    """The placing station's monthly visit (每月探视): a light inspection, final at once."""
    if not (actor.is_admin or actor.organisation_id == agreement.station_id):
        raise PermissionDenied(_("Only the placing station records its visits."))
    if agreement.status != CustodyAgreement.Status.ACTIVE:
        raise ValidationError(_("Visits are recorded under an active agreement."))
    if performed_on > _today():
        raise ValidationError({"performed_on": _("A visit cannot be in the future.")})
    if not agreement.covers(performed_on):
        raise ValidationError({"performed_on": _("The agreement was not in force on that day.")})
    visit = save_audited(
        Inspection(
            institution=agreement.institution,
            kind=Inspection.Kind.MONTHLY_VISIT,
            agreement=agreement,
            planned_on=performed_on,
            performed_on=performed_on,
            status=Inspection.Status.FINAL,
            residents_seen=residents_seen,
            summary=summary,
            lead=actor,
            created_by=actor,
            finalised_at=timezone.now(),
            finalised_by=actor,
        ),
        actor=actor,
    )
    visit.team.set([actor])
    return visit
