"""Every kind of notification, and how each reaches a person unless they choose otherwise.

An *event* kind is sent when someone acts (an issue raised, a rectification decided); a *reminder*
kind is sent by the daily run (``manage.py send_reminders``). Each user chooses per kind: in-app
only, mail at once, or the daily digest (``Preference``); the default here is what a careful office
would pick: what needs action today is mailed at once, the rest waits for the digest.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # Events.
    ISSUE_RAISED = "issue_raised", _("Issue raised at my institution")
    RECTIFICATION_SUBMITTED = "rectification_submitted", _("Rectification submitted")
    RECTIFICATION_DECIDED = "rectification_decided", _("Rectification accepted or rejected")
    REPORT_FOR_COMMENTS = "report_for_comments", _("Report sent for factual comments")
    SUMMARY_RETURNED = "summary_returned", _("Summary sent back")
    SUMMARY_FOR_APPROVAL = "summary_for_approval", _("Summary waiting for approval")
    EXTENSION_REQUESTED = "extension_requested", _("Deadline extension requested")
    EXTENSION_DECIDED = "extension_decided", _("Deadline extension decided")
    INCIDENT_ALERT = "incident_alert", _("Incident alert")
    COMPLAINT_FORWARDED = "complaint_forwarded", _("Complaint forwarded")
    # Reminders.
    DOCUMENT_EXPIRING = "document_expiring", _("Qualification document expiring")
    DEADLINE_NEAR = "deadline_near", _("Rectification deadline near")
    DEADLINE_TODAY = "deadline_today", _("Rectification due today")
    DEADLINE_OVERDUE = "deadline_overdue", _("Rectification overdue")
    ESCALATION = "escalation", _("Overdue rectification escalated")
    MONTHLY_REPORT_DUE = "monthly_report_due", _("Monthly report due")
    MONTHLY_REPORT_MISSING = "monthly_report_missing", _("Monthly report missing")
    VISIT_MISSING = "visit_missing", _("Monthly visit missing")
    COMMENT_WINDOW_CLOSING = "comment_window_closing", _("Comment window closing")
    TERM_ENDING = "term_ending", _("Supervisor term ending")
    INCIDENT_STAGE_OVERDUE = "incident_stage_overdue", _("Incident report overdue")
    INSPECTION_TOMORROW = "inspection_tomorrow", _("Inspection tomorrow")
    RESIDENT_STEP_OVERDUE = "resident_step_overdue", _("Resident's search or follow-up overdue")


class Mode(models.TextChoices):
    IN_APP = "in_app", _("In the application only")
    MAIL = "mail", _("Mail at once")
    DIGEST = "digest", _("Daily digest by mail")


# What needs someone today is mailed at once; everything else is in the daily digest.
URGENT = frozenset(
    {
        Kind.INCIDENT_ALERT,
        Kind.INCIDENT_STAGE_OVERDUE,
        Kind.ESCALATION,
        Kind.DEADLINE_OVERDUE,
        Kind.DEADLINE_TODAY,
    }
)


def default_mode(kind: str) -> str:
    return Mode.MAIL if kind in URGENT else Mode.DIGEST
