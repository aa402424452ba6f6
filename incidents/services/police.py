"""Police records (报警): recorded with a stage or on their own. A record owed is never a
reason to refuse a report (that would make it late): it is an item of its own, overdue on the
incident page, the list, the inbox and the reminders, and the final report and the closure wait
for it (``incidents/policies.py``)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from incidents.models import Incident, PoliceRecord
from incidents.policies import incident_policy
from incidents.services.common import _locked, _not_future


def _police(
    incident: Incident, police: dict | None, *, actor: User, now: datetime.datetime
) -> PoliceRecord | None:
    if not police:
        return None
    if incident.police_record_kind() is None:
        raise ValidationError(_("This kind of incident needs no police record here."))
    reported_at = police.get("reported_at")
    if reported_at is not None and reported_at < incident.occurred_at:
        raise ValidationError(
            {"police_reported_at": _("The police were called before it happened.")}
        )
    _not_future(reported_at, "police_reported_at", now)
    record = PoliceRecord(
        incident=incident,
        kind=incident.police_record_kind(),
        reported_at=reported_at,
        police_station=(police.get("police_station") or "").strip(),
        case_number=(police.get("case_number") or "").strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    return save_audited(record, actor=actor)


@transaction.atomic
def police_record_add(
    *,
    incident: Incident,
    actor: User,
    reported_at: datetime.datetime,
    police_station: str,
    case_number: str,
    resident_found_at: datetime.datetime | None = None,
) -> PoliceRecord:
    incident = _locked(incident)
    incident_policy.require("police_record", actor, incident)
    now = timezone.now()
    record = _police(
        incident,
        {"reported_at": reported_at, "police_station": police_station, "case_number": case_number},
        actor=actor,
        now=now,
    )
    return record
