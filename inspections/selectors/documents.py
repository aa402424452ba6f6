"""What the two official documents of an inspection show: the inspection report and the
rectification notice (整改通知书). The caller has already checked the inspection is in scope."""

from django.utils import timezone

from audit_portal.accounts.models import Organisation
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
    results = inspection.results.select_related("item").order_by("item__position", "item__pk")
    by_area: dict[str, list[ItemResult]] = {}
    for row in results:
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


def report_context(inspection: Inspection) -> dict:
    return {
        **_common(inspection),
        "team": _team(inspection),
        "areas": _results_by_area(inspection),
    }


def notice_context(inspection: Inspection) -> dict:
    context = _common(inspection)
    issues = context["issues"]
    context["last_deadline"] = max((issue.deadline for issue in issues), default=None)
    # Deadlines run from the day the issues were raised: the notice bears that date.
    context["issued_on"] = min((issue.raised_on for issue in issues), default=None)
    return context
