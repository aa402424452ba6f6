"""Writes on issues: raising one, the institution's rectification and its verification,
deadline extensions, and closing issues at a re-check (督促整改 to verified closure)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.evidence import evidence_attach_many
from audit_portal.core.history import save_audited
from audit_portal.rules import rules
from inspections import events
from inspections.models import (
    DeadlineExtension,
    Inspection,
    Institution,
    Issue,
    ItemResult,
    Rectification,
)
from inspections.policies import inspection_policy, issue_policy
from inspections.workdays import add_working_days


def _today() -> datetime.date:
    return timezone.localdate()


def default_rectification_days(severity: str) -> int:
    return {
        Issue.Severity.GENERAL: rules().rectification_days_general,
        Issue.Severity.SERIOUS: rules().rectification_days_serious,
        Issue.Severity.MAJOR: rules().rectification_days_major,
    }[severity]


def _next_number(day: datetime.date) -> str:
    prefix = f"ZG{day:%Y}-"
    last = (
        Issue.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def issue_raise(
    *,
    institution: Institution,
    area: str,
    description: str,
    severity: str,
    responsible_person: str,
    actor: User,
    inspection: Inspection | None = None,
    result: ItemResult | None = None,
    rectification_days: int | None = None,
) -> Issue:
    """Raise one issue; its deadline is counted in working days from the day after today."""
    if not actor.has_perm("inspections.add_issue"):
        raise PermissionDenied
    if not description.strip():
        raise ValidationError({"description": _("Describe the issue.")})
    today = _today()
    days = rectification_days or default_rectification_days(severity)
    deadline = add_working_days(today, days)
    for _attempt in range(3):
        issue = Issue(
            institution=institution,
            inspection=inspection,
            result=result,
            number=_next_number(today),
            area=area,
            description=description.strip(),
            severity=severity,
            responsible_person=responsible_person,
            raised_on=today,
            raised_by=actor,
            rectification_days=days,
            original_deadline=deadline.day,
            deadline=deadline.day,
            deadline_official=deadline.official,
        )
        try:
            with transaction.atomic():
                issue = save_audited(issue, actor=actor)
        except (IntegrityError, ValidationError) as error:
            # Two issues raised at the same moment took the same number: take the next one.
            if "number" not in str(error):
                raise
            continue
        # An inspection's issues reach the institution with its report (``open_comments``).
        if inspection is None or inspection.status in Inspection.SHOWN_TO_INSTITUTION:
            events.issue_raised(issue, actor=actor)
        return issue
    raise ValidationError(_("Could not number the issue; try again."))


@transaction.atomic
def issue_create(*, actor: User, **fields) -> Issue:
    """A free-standing issue, found outside a checklist."""
    return issue_raise(actor=actor, **fields)


def _lock(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().get(pk=issue.pk)


@transaction.atomic
def rectification_submit(
    *, issue: Issue, actor: User, plan: str, uploads: list[UploadedFile] = ()
) -> Rectification:
    """The institution reports what it did, with evidence; the issue awaits verification."""
    issue = _lock(issue)
    issue_policy.require("rectify", actor, issue)
    if not plan.strip():
        raise ValidationError({"plan": _("Describe what was done to fix the issue.")})
    if not uploads:
        raise ValidationError({"evidence": _("Attach at least one photo or document as evidence.")})
    rectification = save_audited(
        Rectification(issue=issue, plan=plan.strip(), submitted_by=actor), actor=actor
    )
    evidence_attach_many([(rectification, upload) for upload in uploads], actor=actor)
    issue.status = Issue.Status.SUBMITTED
    save_audited(issue, actor=actor, reason=_("Rectification submitted"))
    events.rectification_submitted(rectification, actor=actor)
    return rectification


def _close(issue: Issue, *, actor: User, reason: str, recheck: Inspection | None = None) -> None:
    issue.status = Issue.Status.CLOSED
    issue.closed_on = _today()
    issue.closed_by = actor
    issue.closed_in = recheck
    save_audited(issue, actor=actor, reason=reason)


@transaction.atomic
def rectification_decide(
    *, rectification: Rectification, actor: User, accept: bool, reason: str = ""
) -> Rectification:
    """Staff in scope or the assigned supervisor verify: accepted closes the issue, rejected
    sends it back to open with the reason, keeping the original deadline running."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    issue = _lock(rectification.issue)
    issue_policy.require("verify", actor, issue)
    # The issue waits for a verification: of this rectification, not an earlier one.
    if not rectification.is_pending:
        raise ValidationError(_("This rectification has already been decided."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the rectification is rejected.")})
    rectification.record_decision(
        Rectification.Decision.ACCEPTED if accept else Rectification.Decision.REJECTED,
        actor=actor,
        reason=reason,
    )
    save_audited(rectification, actor=actor, reason=reason or _("Verified"))
    if accept:
        _close(issue, actor=actor, reason=reason or _("Rectification verified"))
    else:
        issue.status = Issue.Status.OPEN
        save_audited(issue, actor=actor, reason=reason)
    rectification.issue = issue
    events.rectification_decided(rectification, actor=actor)
    return rectification


@transaction.atomic
def extension_request(
    *, issue: Issue, actor: User, requested_deadline: datetime.date, reason: str
) -> DeadlineExtension:
    issue = _lock(issue)
    issue_policy.require("request_extension", actor, issue)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why more time is needed.")})
    extension = save_audited(
        DeadlineExtension(
            issue=issue,
            requested_deadline=requested_deadline,
            deadline_before=issue.deadline,
            reason=reason.strip(),
            requested_by=actor,
        ),
        actor=actor,
    )
    events.extension_requested(extension, actor=actor)
    return extension


@transaction.atomic
def extension_decide(
    *, extension: DeadlineExtension, actor: User, approve: bool, reason: str
) -> DeadlineExtension:
    """Staff approve (the deadline moves; the original stays on record) or refuse. A closed
    issue's pending request may still be refused, not approved."""
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    issue = _lock(extension.issue)
    issue_policy.require("approve_extension" if approve else "decide_extension", actor, issue)
    # The issue waits for a decision: on this request, not an earlier one.
    if not extension.is_pending:
        raise ValidationError(_("This request has already been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    extension.record_decision(
        DeadlineExtension.Decision.APPROVED if approve else DeadlineExtension.Decision.REFUSED,
        actor=actor,
        reason=reason,
    )
    save_audited(extension, actor=actor, reason=reason)
    if approve:
        issue.deadline = max(issue.deadline, extension.requested_deadline)
        save_audited(issue, actor=actor, reason=reason)
    extension.issue = issue
    events.extension_decided(extension, actor=actor)
    return extension


@transaction.atomic
def recheck_close(
    *, recheck: Inspection, issues: list[Issue], actor: User, note: str
) -> list[Issue]:
    """A re-check verifies several issues on site and closes them together."""
    recheck = Inspection.objects.select_for_update().get(pk=recheck.pk)
    inspection_policy.require("recheck", actor, recheck)
    if not note.strip():
        raise ValidationError({"note": _("Note what the re-check found.")})
    closed = []
    for issue in issues:
        issue = _lock(issue)
        if issue.institution_id != recheck.institution_id:
            raise ValidationError(_("An issue belongs to another institution."))
        if issue.is_closed:
            continue
        pending = list(issue.rectifications.filter(decision=Rectification.Decision.PENDING))
        for rectification in pending:
            rectification.record_decision(Rectification.Decision.ACCEPTED, actor=actor, reason=note)
            save_audited(rectification, actor=actor, reason=note)
        _close(issue, actor=actor, reason=note, recheck=recheck)
        for rectification in pending:
            rectification.issue = issue
            events.rectification_decided(rectification, actor=actor)
        closed.append(issue)
    return closed
