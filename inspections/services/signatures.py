"""Signatures on site (签字留痕): the team members and the institution's representative sign the
recorded results on a team member's phone, or the representative refuses (拒绝签字) and the
reason is recorded. The first signature locks the results (``InspectionPolicy.record``); the
draft is submitted only once ``signatures_missing`` is empty."""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from audit_portal.accounts.models import User
from audit_portal.core.evidence import evidence_attach
from audit_portal.core.history import save_audited
from inspections.models import Inspection, InspectionSignature
from inspections.policies import inspection_policy
from inspections.selectors.inspections import is_in_team

Role = InspectionSignature.Role


def _locked(inspection: Inspection, actor: User) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection_policy.require("sign", actor, inspection)
    return inspection


# A pad on a tablet at three device pixels per CSS pixel is about 3000 × 600; a larger picture
# is not a signature, and decoding it would only cost memory.
MAX_PIXELS = 8_000_000


def _is_blank(image: bytes) -> bool:
    """True when the PNG has no mark on it (a pad submitted untouched); unreadable → refused
    later by the evidence rules."""
    try:
        with Image.open(io.BytesIO(image)) as picture:
            if picture.width * picture.height > MAX_PIXELS:
                raise ValidationError({"signature": _("The signature is too large.")})
            if picture.mode in ("RGBA", "LA", "P"):
                return picture.convert("RGBA").getchannel("A").getbbox() is None
            # No transparency: anything not white is a mark.
            return picture.convert("L").point(lambda v: 255 if v < 250 else 0).getbbox() is None
    except (UnidentifiedImageError, OSError, ValueError):
        return False


def _representative(inspection: Inspection) -> InspectionSignature | None:
    return inspection.signatures.filter(role=Role.INSTITUTION).first()


@transaction.atomic
def signature_record(
    *,
    inspection: Inspection,
    actor: User,
    image: bytes,
    signer: User | None = None,
    signer_name: str = "",
    signer_position: str = "",
) -> InspectionSignature:
    """Record one signature (a PNG): a team member's when ``signer`` is given (the lead's role
    follows from the inspection), otherwise the institution representative's, by name."""
    inspection = _locked(inspection, actor)
    if signer is not None:
        if not is_in_team(signer, inspection):
            raise ValidationError({"signer": _("Only members of the team sign as the team.")})
        if inspection.signatures.filter(signer=signer).exists():
            raise ValidationError(
                {"signer": _("%(name)s has signed already.") % {"name": signer.get_full_name()}}
            )
        role = Role.LEAD if signer.pk == inspection.lead_id else Role.MEMBER
        signer_name, signer_position = signer.get_full_name(), signer_position.strip()
    else:
        role = Role.INSTITUTION
        signer_name, signer_position = signer_name.strip(), signer_position.strip()
        if not signer_name:
            raise ValidationError(
                {"signer_name": _("Write the name of the institution's representative.")}
            )
        if _representative(inspection) is not None:
            raise ValidationError(
                _("The institution's representative has already signed or refused.")
            )
    if not image or _is_blank(image):
        raise ValidationError({"signature": _("Sign in the box first.")})
    evidence = evidence_attach(
        owner=inspection,
        upload=SimpleUploadedFile("signature.png", image, content_type="image/png"),
        actor=actor,
        caption=_("Signature of %(name)s") % {"name": signer_name},
    )
    return save_audited(
        InspectionSignature(
            inspection=inspection,
            role=role,
            signer=signer,
            signer_name=signer_name,
            signer_position=signer_position,
            image=evidence,
            sha256=evidence.sha256,
            recorded_by=actor,
        ),
        actor=actor,
        reason=_("Signed on site"),
    )


@transaction.atomic
def signature_refusal_record(
    *,
    inspection: Inspection,
    actor: User,
    signer_name: str,
    reason: str,
    signer_position: str = "",
) -> InspectionSignature:
    """The institution's representative refuses to sign (拒绝签字): who, and why, instead."""
    inspection = _locked(inspection, actor)
    signer_name, reason = signer_name.strip(), reason.strip()
    errors = {}
    if not signer_name:
        errors["signer_name"] = _("Write the name of the institution's representative.")
    if not reason:
        errors["reason"] = _("Write why the representative refuses to sign.")
    if errors:
        raise ValidationError(errors)
    if _representative(inspection) is not None:
        raise ValidationError(_("The institution's representative has already signed or refused."))
    return save_audited(
        InspectionSignature(
            inspection=inspection,
            role=Role.INSTITUTION,
            signer_name=signer_name,
            signer_position=signer_position.strip(),
            refusal_reason=reason,
            recorded_by=actor,
        ),
        actor=actor,
        reason=_("Refused to sign: %(reason)s") % {"reason": reason},
    )


def signatures_missing(inspection: Inspection) -> list[str]:
    """What is missing before the draft may be submitted: the team lead's signature, and the
    institution representative's signature or refusal. Other members' signatures are welcome,
    not required."""
    roles = set(inspection.signatures.values_list("role", flat=True))
    missing = []
    if Role.LEAD not in roles:
        missing.append(_("The team lead has not signed the results yet."))
    if Role.INSTITUTION not in roles:
        missing.append(
            _(
                "The institution's representative has not signed the results yet (or refused "
                "to sign, with the reason recorded)."
            )
        )
    return missing
