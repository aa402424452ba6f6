"""What the two official documents of an inspection show: the inspection report and the
rectification notice (整改通知书). The caller has already checked the inspection is in scope."""

import base64

from django.utils import timezone

from audit_portal.accounts.models import Organisation
from audit_portal.core.evidence import evidence_by_owner
from audit_portal.core.thumbnails import thumbnail_data_uri
from inspections.models import Area, Inspection, Issue, ItemResult


def issuing_organisation(inspection: Inspection) -> Organisation:
    """The bureau or station that issues the documents: the team lead's organisation when the
    lead is civil-affairs staff, otherwise (a supervisor's visit) the institution's county bureau.
    """
    lead = inspection.lead
    if lead.is_civil_affairs_staff and lead.organisation_id:
        return lead.organisation
    return inspection.institution.county


def _issues(inspection: Inspection) -> list[Issue]:
    return list(inspection.issues.select_related("raised_by").order_by("number"))


def _team(inspection: Inspection) -> list:
    members = sorted(
        inspection.team.all(), key=lambda u: (u.pk != inspection.lead_id, u.full_name, u.pk)
    )
    return members or [inspection.lead]


def _results_by_area(inspection: Inspection) -> list[dict]:
    results = list(inspection.results.select_related("item").order_by("item__position", "item__pk"))
    photos = evidence_by_owner(results)
    by_area: dict[str, list[ItemResult]] = {}
    for row in results:
        # The photos go into the PDF as data: URLs of their thumbnails: the PDF fetcher reads
        # nothing from the server's files (audit_portal/core/pdf.py).
        row.photo_uris = [
            uri for uri in (thumbnail_data_uri(f) for f in photos[row.pk] if f.is_image) if uri
        ]
        by_area.setdefault(row.item.area, []).append(row)
    sections = []
    for value, label in Area.choices:
        rows = by_area.get(value)
        if not rows:
            continue
        counts = dict.fromkeys(ItemResult.Result.values, 0)
        for row in rows:
            if row.result:
                counts[row.result] += 1
        sections.append(
            {
                "label": label,
                "rows": rows,
                "conforms": counts[ItemResult.Result.CONFORMS],
                "nonconforming": counts[ItemResult.Result.NONCONFORMING],
                "not_applicable": counts[ItemResult.Result.NOT_APPLICABLE],
            }
        )
    return sections


def _common(inspection: Inspection) -> dict:
    issues = _issues(inspection)
    return {
        "inspection": inspection,
        "institution": inspection.institution,
        "issuer": issuing_organisation(inspection),
        "issues": issues,
        "any_provisional": any(not issue.deadline_official for issue in issues),
        "is_draft": inspection.status not in Inspection.SHOWN_TO_INSTITUTION,
        "printed_at": timezone.now(),
        "reference": reference(inspection),
    }


def reference(inspection: Inspection) -> str:
    """The document reference printed on both papers: year of the inspection and its id."""
    day = inspection.performed_on or inspection.planned_on
    return f"JC{day:%Y}-{inspection.pk:05d}"


def _png_data_uri(evidence) -> str | None:
    """A signature as stored (its PNG, a few dozen kB, sharper than the JPEG thumbnail and with
    the very bytes its SHA-256 was taken of)."""
    try:
        with evidence.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    return f"data:{evidence.media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _signatures(inspection: Inspection, team: list) -> dict:
    """The signatures given on site, by team member (pk) and the representative's, each with
    its image as a data: URL; a member without one gets an empty box to sign on paper."""
    by_member, representative = {}, None
    for signature in inspection.signatures.select_related("image"):
        signature.image_uri = _png_data_uri(signature.image) if signature.image else None
        if signature.signer_id is None:
            representative = signature
        else:
            by_member[signature.signer_id] = signature
    for member in team:
        member.signature = by_member.get(member.pk)
    return {"representative_signature": representative}


def report_context(inspection: Inspection) -> dict:
    team = _team(inspection)
    return {
        **_common(inspection),
        "team": team,
        **_signatures(inspection, team),
        "areas": _results_by_area(inspection),
    }


def notice_context(inspection: Inspection) -> dict:
    context = _common(inspection)
    issues = context["issues"]
    context["last_deadline"] = max((issue.deadline for issue in issues), default=None)
    # Deadlines run from the day the issues were raised: the notice bears that date.
    context["issued_on"] = min((issue.raised_on for issue in issues), default=None)
    return context
