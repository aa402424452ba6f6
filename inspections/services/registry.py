"""Writes on the institution registry. Each is atomic and leaves history with actor and reason.

Who may write, and when, is the registry policies' (``inspections/policies/registry.py``): each
write asks them first; what depends on the values posted (the status asked for, a placement's
day and category) is checked here.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.services import user_create
from audit_portal.core.evidence import evidence_attach
from audit_portal.core.history import save_audited
from inspections import hooks
from inspections.models import (
    CustodyAgreement,
    Institution,
    Placement,
    QualificationDocument,
)
from inspections.policies.registry import (
    AGREEMENT_MOVES,
    agreement_policy,
    document_policy,
    institution_policy,
    placeable_refusal,
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
    "designated_contact",
)


@transaction.atomic
def institution_create(*, actor: User, **fields) -> Institution:
    # The designated contact may be named later; a missing required field fails the clean.
    institution = Institution(
        **{name: fields[name] for name in INSTITUTION_FIELDS if name in fields}
    )
    return save_audited(institution, actor=actor, reason=fields.get("reason", ""))


@transaction.atomic
def institution_update(
    *, institution: Institution, actor: User, reason: str, **fields
) -> Institution:
    institution_policy.require("edit", actor, institution)
    for name, value in fields.items():
        if name not in INSTITUTION_FIELDS or name == "status":
            raise ValueError(f"{name} cannot be changed here")
        setattr(institution, name, value)
    return save_audited(institution, actor=actor, reason=reason)


@transaction.atomic
def institution_change_status(
    *, institution: Institution, status: str, actor: User, reason: str
) -> Institution:
    institution_policy.require("change_status", actor, institution)
    if status == institution.status:
        raise ValidationError({"status": _("The institution already has this status.")})
    if status == Institution.Status.APPROVED:
        institution_policy.require("approve", actor, institution)
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
    """An account for the institution's own staff, bound to it and granted it (guardian).
    Without an actor (the demo data), the system opens it."""
    if actor is not None:
        institution_policy.require("create_account", actor, institution)
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
    institution_policy.require("upload_document", actor, institution)
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
    document.status = status
    document.reviewed_by = actor
    document.reviewed_at = timezone.now()
    return save_audited(document, actor=actor, reason=reason)


@transaction.atomic
def document_verify(*, document: QualificationDocument, actor: User) -> QualificationDocument:
    document_policy.require("verify", actor, document)
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
    document_policy.require("reject", actor, document)
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
    institution_policy.require("create_agreement", actor, institution)
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
    if refusal := placeable_refusal(institution, on, action):
        raise ValidationError(refusal.message, code="institution_not_eligible")


@transaction.atomic
def agreement_activate(*, agreement: CustodyAgreement, actor: User) -> CustodyAgreement:
    agreement = CustodyAgreement.objects.select_for_update().get(pk=agreement.pk)
    # Its status, its term and the institution's conditions on the day it takes effect.
    agreement_policy.require("activate", actor, agreement)
    agreement.status = CustodyAgreement.Status.ACTIVE
    agreement.activated_at = timezone.now()
    agreement.activated_by = actor
    return save_audited(agreement, actor=actor, reason=_("Activated"))


@transaction.atomic
def agreement_change_status(
    *, agreement: CustodyAgreement, status: str, actor: User, reason: str
) -> CustodyAgreement:
    agreement_policy.require("change_status", actor, agreement)
    if status not in AGREEMENT_MOVES.get(agreement.status, set()):
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
    agreement_policy.require("place", actor, agreement)
    if not agreement.covers(starts_on):
        raise ValidationError({"starts_on": _("The date is outside the agreement's term.")})
    if category not in agreement.categories:
        raise ValidationError({"category": _("The agreement does not accept this category.")})
    _refuse_unless_placeable(agreement.institution, starts_on, _("Placement"))
    # The residents on record count against the agreed places too; the agreement's row is
    # locked, as an admission locks it, so the two cannot both take the last places.
    agreement = CustodyAgreement.objects.select_for_update().get(pk=agreement.pk)
    in_care = hooks.residents_in_care(agreement.pk)
    if people + in_care > agreement.agreed_places:
        raise ValidationError(
            {
                "people": _(
                    "%(people)d residents and the %(in_care)d in care on record would exceed "
                    "the %(places)d agreed places."
                )
                % {"people": people, "in_care": in_care, "places": agreement.agreed_places}
            }
        )
    placement = Placement(
        agreement=agreement,
        starts_on=starts_on,
        people=people,
        category=category,
        note=note,
        created_by=actor,
    )
    return save_audited(placement, actor=actor)
