"""Writes on the institution registry. Each is atomic and leaves history with actor and reason."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.services import user_create
from audit_portal.core.evidence import evidence_attach
from audit_portal.core.history import save_audited
from inspections.models import (
    CustodyAgreement,
    Institution,
    Placement,
    QualificationDocument,
)

INSTITUTION_FIELDS = (
    "name",
    "credit_code",
    "kind",
    "legal_representative",
    "address",
    "county",
    "bed_capacity",
    "operation_started_on",
    "contact_person",
    "contact_phone",
)


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def institution_create(*, actor: User, **fields) -> Institution:
    institution = Institution(**{name: fields[name] for name in INSTITUTION_FIELDS})
    return save_audited(institution, actor=actor, reason=fields.get("reason", ""))


@transaction.atomic
def institution_update(
    *, institution: Institution, actor: User, reason: str, **fields
) -> Institution:
    for name, value in fields.items():
        if name not in INSTITUTION_FIELDS or name == "status":
            raise ValueError(f"{name} cannot be changed here")
        setattr(institution, name, value)
    return save_audited(institution, actor=actor, reason=reason)


@transaction.atomic
def institution_change_status(
    *, institution: Institution, status: str, actor: User, reason: str
) -> Institution:
    if status == institution.status:
        raise ValidationError({"status": _("The institution already has this status.")})
    if status == Institution.Status.APPROVED:
        eligibility = institution.eligibility(_today())
        if not eligibility.eligible:
            raise ValidationError(
                _("The institution cannot be approved: %(failing)s")
                % {"failing": eligibility.summary()}
            )
    institution.status = status
    institution.status_changed_at = timezone.now()
    return save_audited(institution, actor=actor, reason=reason)


@transaction.atomic
def institution_account_create(
    *,
    institution: Institution,
    username: str,
    full_name: str,
    password: str,
    phone: str = "",
    actor: User,
) -> User:
    """An account for the institution's own staff, bound to it and granted it (guardian)."""
    user = user_create(
        username=username,
        password=password,
        full_name=full_name,
        role=User.Role.INSTITUTION,
        phone=phone,
        actor=actor,
    )
    institution_account_bind(user=user, institution=institution, actor=actor)
    return user


def institution_account_bind(*, user: User, institution: Institution, actor: User | None) -> None:
    if user.role != User.Role.INSTITUTION:
        raise ValidationError(_("Only institution users can be bound to an institution."))
    user.institution = institution
    save_audited(
        user, actor=actor, reason=_("Bound to %(institution)s") % {"institution": institution}
    )
    assign_perm("inspections.view_institution", user, institution)


@transaction.atomic
def document_submit(
    *,
    institution: Institution,
    kind: str,
    number: str,
    issuer: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    scans: Iterable[UploadedFile],
    actor: User,
    replaces: QualificationDocument | None = None,
) -> QualificationDocument:
    """A new document or a renewal, pending until staff verify it. At least one scan is needed."""
    scans = list(scans)
    if not scans:
        raise ValidationError({"scans": _("Attach the scanned document.")})
    document = QualificationDocument(
        institution=institution,
        kind=kind,
        number=number,
        issuer=issuer,
        valid_from=valid_from,
        valid_until=valid_until,
        replaces=replaces,
        submitted_by=actor,
    )
    save_audited(document, actor=actor)
    for scan in scans:
        evidence_attach(owner=document, upload=scan, actor=actor)
    return document


def _review(document: QualificationDocument, *, status: str, actor: User, reason: str):
    if document.status != QualificationDocument.Status.PENDING:
        raise ValidationError(_("This document has already been reviewed."))
    if actor.is_institution_user or actor.pk == document.submitted_by_id:
        # Four eyes: whoever submitted a document does not verify it.
        raise PermissionDenied(_("A document is verified by someone other than its submitter."))
    document.status = status
    document.reviewed_by = actor
    document.reviewed_at = timezone.now()
    return save_audited(document, actor=actor, reason=reason)


@transaction.atomic
def document_verify(*, document: QualificationDocument, actor: User) -> QualificationDocument:
    return _review(
        document,
        status=QualificationDocument.Status.VERIFIED,
        actor=actor,
        reason=_("Verified against the original"),
    )


@transaction.atomic
def document_reject(
    *, document: QualificationDocument, actor: User, reason: str
) -> QualificationDocument:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the document is rejected.")})
    document.rejection_reason = reason.strip()
    return _review(
        document, status=QualificationDocument.Status.REJECTED, actor=actor, reason=reason
    )


@transaction.atomic
def agreement_create(
    *,
    station: Organisation,
    institution: Institution,
    number: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    agreed_places: int,
    categories: list[str],
    fee_basis: str,
    actor: User,
) -> CustodyAgreement:
    agreement = CustodyAgreement(
        station=station,
        institution=institution,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        agreed_places=agreed_places,
        categories=list(categories),
        fee_basis=fee_basis,
    )
    return save_audited(agreement, actor=actor)


def _refuse_unless_placeable(institution: Institution, on: datetime.date, action: str) -> None:
    eligibility = institution.eligibility(on)
    problems = [f"{check.label}：{check.detail}" for check in eligibility.failing]
    if institution.status != Institution.Status.APPROVED:
        problems.insert(
            0, _("status is “%(status)s”") % {"status": institution.get_status_display()}
        )
    if problems:
        raise ValidationError(
            _(
                "%(action)s refused: %(institution)s does not meet the conditions on %(date)s — "
                "%(problems)s"
            )
            % {
                "action": action,
                "institution": institution,
                "date": on,
                "problems": "；".join(problems),
            },
            code="institution_not_eligible",
        )


@transaction.atomic
def agreement_activate(*, agreement: CustodyAgreement, actor: User) -> CustodyAgreement:
    agreement = CustodyAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (CustodyAgreement.Status.DRAFT, CustodyAgreement.Status.SUSPENDED):
        raise ValidationError(_("Only a draft or suspended agreement can be activated."))
    today = _today()
    if today > agreement.ends_on:
        raise ValidationError(_("The agreement's term has ended."))
    _refuse_unless_placeable(
        agreement.institution, max(today, agreement.starts_on), _("Activation")
    )
    agreement.status = CustodyAgreement.Status.ACTIVE
    agreement.activated_at = timezone.now()
    agreement.activated_by = actor
    return save_audited(agreement, actor=actor, reason=_("Activated"))


@transaction.atomic
def agreement_change_status(
    *, agreement: CustodyAgreement, status: str, actor: User, reason: str
) -> CustodyAgreement:
    allowed = {
        CustodyAgreement.Status.ACTIVE: {
            CustodyAgreement.Status.SUSPENDED,
            CustodyAgreement.Status.ENDED,
        },
        CustodyAgreement.Status.SUSPENDED: {CustodyAgreement.Status.ENDED},
        CustodyAgreement.Status.DRAFT: {CustodyAgreement.Status.ENDED},
    }
    if status not in allowed.get(agreement.status, set()):
        raise ValidationError(_("This agreement cannot move to that status."))
    agreement.status = status
    return save_audited(agreement, actor=actor, reason=reason)


@transaction.atomic
def placement_start(
    *,
    agreement: CustodyAgreement,
    starts_on: datetime.date,
    people: int,
    category: str,
    actor: User,
    note: str = "",
) -> Placement:
    if agreement.status != CustodyAgreement.Status.ACTIVE:
        raise ValidationError(_("Placements start only under an active agreement."))
    if not agreement.covers(starts_on):
        raise ValidationError({"starts_on": _("The date is outside the agreement's term.")})
    if category not in agreement.categories:
        raise ValidationError({"category": _("The agreement does not accept this category.")})
    _refuse_unless_placeable(agreement.institution, starts_on, _("Placement"))
    placement = Placement(
        agreement=agreement,
        starts_on=starts_on,
        people=people,
        category=category,
        note=note,
        created_by=actor,
    )
    return save_audited(placement, actor=actor)
