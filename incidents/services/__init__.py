"""Writes for incident reports. Every function is atomic, takes the acting user, stamps times
from the server clock and writes the history; the alerted staff are notified (their mail and
group-robot messages leave after the commit).

Who may write, and when, is decided by the policies (``incidents/policies.py``): the reporting
body (the institution's own accounts, or the station's staff for an incident at a rescue station)
files the stages, amendments and police records; staff of the supervising bodies acknowledge,
comment and close. Pages check scope first (404); these functions require the policy, refusing a
write by someone without the right (PermissionDenied) or in the wrong state (ValidationError).
"""

from incidents.services.alerts import CITY_KINDS, alert_mark_read, alert_recipients
from incidents.services.chain import forwarding_refresh, regulator_report_add, report_forward
from incidents.services.police import police_record_add
from incidents.services.receiving import incident_acknowledge, incident_close, incident_comment
from incidents.services.reporting import (
    incident_report,
    report_amend,
    report_final,
    report_followup,
    reports_in_force,
)
from incidents.services.situation import casualties_change, incident_declare_over

__all__ = [
    "CITY_KINDS",
    "alert_mark_read",
    "alert_recipients",
    "casualties_change",
    "forwarding_refresh",
    "incident_acknowledge",
    "incident_close",
    "incident_comment",
    "incident_declare_over",
    "incident_report",
    "police_record_add",
    "regulator_report_add",
    "report_amend",
    "report_final",
    "report_followup",
    "report_forward",
    "reports_in_force",
]
