"""Staged incident reports (DOMAIN §5): the incident, its reports (initial, follow-ups, final,
and amendments that supersede a report without erasing it), police records, alerts to the
supervising bodies and staff notes.

Every time the system relies on (reported, recorded, read) is stamped by the server; the only
times a reporter types are facts of the event (when it happened, was discovered, when police
were called, when a missing resident was found).
"""

from incidents.models.alerts import Alert
from incidents.models.chain import (
    CasualtyChange,
    Channel,
    Forwarding,
    Regulator,
    RegulatorReport,
    forwarding_due,
    regulators_missing,
    regulators_required,
)
from incidents.models.incidents import (
    Incident,
    Kind,
    PoliceRecord,
    initial_report_due,
    minutes_late,
    missing_person_police_delay,
)
from incidents.models.notes import Note
from incidents.models.reports import FIGURES, NARRATIVE_FIELDS, STAGE_FIELDS, Report, Stage

__all__ = [
    "FIGURES",
    "NARRATIVE_FIELDS",
    "STAGE_FIELDS",
    "Alert",
    "CasualtyChange",
    "Channel",
    "Forwarding",
    "Incident",
    "Kind",
    "Note",
    "PoliceRecord",
    "Regulator",
    "RegulatorReport",
    "Report",
    "Stage",
    "forwarding_due",
    "initial_report_due",
    "minutes_late",
    "missing_person_police_delay",
    "regulators_missing",
    "regulators_required",
]
