"""Records for the open-day figures, written directly so each count is known by hand."""

import datetime
import itertools

from django.utils import timezone

from incidents.models import Incident
from inspections.models import Inspection, Issue
from openday.forms import form_stamp

_numbers = itertools.count(1)


def inspection(institution, lead, *, performed_on, kind="routine", status="final", team=()):
    row = Inspection.objects.create(
        institution=institution,
        kind=kind,
        status=status,
        planned_on=performed_on or datetime.date(2026, 1, 1),
        performed_on=performed_on,
        lead=lead,
        created_by=lead,
    )
    row.team.set(team)
    return row


def issue(
    institution,
    raised_by,
    *,
    raised_on,
    area="fire_safety",
    severity="general",
    deadline=None,
    closed_on=None,
    inspection=None,
):
    deadline = deadline or raised_on + datetime.timedelta(days=30)
    return Issue.objects.create(
        institution=institution,
        inspection=inspection,
        number=f"T-{next(_numbers):05d}",
        area=area,
        description="灭火器过期",
        severity=severity,
        responsible_person="责任人甲",
        status="closed" if closed_on else "open",
        raised_on=raised_on,
        raised_by=raised_by,
        rectification_days=20,
        original_deadline=deadline,
        deadline=deadline,
        closed_on=closed_on,
    )


def incident(institution, reporter, *, occurred, kind="injury", grade=1, deaths=0):
    at = datetime.datetime.combine(occurred, datetime.time(10), timezone.get_current_timezone())
    return Incident.objects.create(
        institution=institution,
        kind=kind,
        occurred_at=at,
        discovered_at=at,
        reported_at=at,
        reported_by=reporter,
        grade=grade,
        deaths=deaths,
    )


def public_form(**fields) -> dict:
    """POST data of a public form as a browser sends it, served long enough ago."""
    return {"started": form_stamp(), "website": "", **fields}
