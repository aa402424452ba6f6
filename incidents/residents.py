"""The resident on record a missing-person or death incident names (issue 19): whom a reporter
may name, and how the incident and the resident's discharge agree, for the incident's page."""

from dataclasses import dataclass

from django.db.models import F, QuerySet

from audit_portal.accounts.models import User
from incidents.models import Incident, Kind
from inspections.models import Institution
from residents.models import Resident
from residents.selectors import residents_for

# The discharge each kind of incident should be recorded with.
DISCHARGE_FOR = {Kind.MISSING: Resident.Discharge.MISSING, Kind.DEATH: Resident.Discharge.DIED}


def residents_to_name(user: User, institution: Institution | None) -> QuerySet[Resident] | None:
    """The institution's residents on record the reporter may see (those in care first, then
    the latest to leave); None when the incident is at a station or the institution has none,
    so no field is offered."""
    if institution is None:
        return None
    residents = residents_for(user).filter(institution=institution)
    if not residents.exists():
        return None
    return residents.order_by(F("discharged_at").desc(nulls_first=True), "name")


@dataclass(frozen=True)
class OnRecord:
    resident: Resident | None  # None: on record, but outside the user's scope
    consistent: bool
    in_care: bool


def resident_on_record(user: User, incident: Incident) -> OnRecord | None:
    """The incident's resident as the user may see them, and whether the record agrees: a
    death with a discharge as died, a missing resident with a discharge as missing (or back in
    care once found)."""
    if incident.resident_id is None:
        return None
    visible = residents_for(user).filter(pk=incident.resident_id).first()
    resident = visible or Resident.objects.only("discharged_at", "discharge_kind").get(
        pk=incident.resident_id
    )
    expected = DISCHARGE_FOR.get(incident.kind)
    found = incident.kind == Kind.MISSING and incident.resident_found_at is not None
    consistent = resident.discharge_kind == expected or (found and resident.in_care)
    return OnRecord(resident=visible, consistent=consistent, in_care=resident.in_care)
