"""Alerts to the supervising bodies: who hears of an incident, the alert rows (their staff told
through the notifications, ``incidents/events.py``) and reading them."""

import datetime

from django.db import transaction
from django.utils import timezone

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.history import save_audited
from incidents import events
from incidents.grading import Grade
from incidents.models import Alert, Incident, Kind, Report
from incidents.policies import alert_policy
from incidents.services.chain import forwarding_refresh
from inspections.models import CustodyAgreement

# What the city bureau must always hear about, whatever the grade.
CITY_KINDS = {Kind.DEATH, Kind.MISSING}


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
    alerts = [
        Alert.objects.create(incident=report.incident, report=report, recipient=org, created_at=now)
        for org in alert_recipients(report.incident)
    ]
    events.incident_alerted(report, alerts, actor=report.submitted_by)
    # Every report path comes here: each new report starts its forwarding clocks.
    forwarding_refresh(report.incident, now)
    return alerts


@transaction.atomic
def alert_mark_read(*, alert: Alert, actor: User) -> Alert:
    alert_policy.require("read", actor, alert)
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.read_by = actor
        save_audited(alert, actor=actor)
    return alert
