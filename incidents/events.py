"""What the incidents app tells people: every report filed (initial, follow-up, final or a
correction) reaches the staff of each organisation alerted (``services.alerts``), through the one
notification mechanism (in the application, by mail as each person chooses, and the
organisation's group robot), once per report."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from audit_portal.notices.services import notify
from incidents.models import Alert, Forwarding, Report, Stage
from inspections import recipients

MESSAGES = {
    Stage.INITIAL: gettext_noop(
        "Initial report: %(kind)s at %(place)s (incident %(number)s, %(grade)s)."
    ),
    Stage.FOLLOWUP: gettext_noop(
        "Follow-up report: %(kind)s at %(place)s (incident %(number)s, %(grade)s)."
    ),
    Stage.FINAL: gettext_noop(
        "Final report: %(kind)s at %(place)s (incident %(number)s, %(grade)s)."
    ),
}
CORRECTED = gettext_noop(
    "Corrected report: %(kind)s at %(place)s (incident %(number)s, %(grade)s)."
)
# The same, naming the institution's designated civil-affairs contact (定点联系).
WITH_CONTACT = {
    Stage.INITIAL: gettext_noop(
        "Initial report: %(kind)s at %(place)s (incident %(number)s, %(grade)s). "
        "Designated contact: %(contact)s."
    ),
    Stage.FOLLOWUP: gettext_noop(
        "Follow-up report: %(kind)s at %(place)s (incident %(number)s, %(grade)s). "
        "Designated contact: %(contact)s."
    ),
    Stage.FINAL: gettext_noop(
        "Final report: %(kind)s at %(place)s (incident %(number)s, %(grade)s). "
        "Designated contact: %(contact)s."
    ),
}
CORRECTED_WITH_CONTACT = gettext_noop(
    "Corrected report: %(kind)s at %(place)s (incident %(number)s, %(grade)s). "
    "Designated contact: %(contact)s."
)
FORWARDED = gettext_noop(
    "Forwarded by %(sender)s: %(stage)s, %(kind)s at %(place)s (incident %(number)s)."
)


def designated_contact(incident) -> User | None:
    """The institution's designated civil-affairs contact (定点联系), if it has one and they
    are still an active staff member."""
    if not incident.institution_id or not incident.institution.designated_contact_id:
        return None
    contact = incident.institution.designated_contact
    return contact if contact.is_active and contact.is_civil_affairs_staff else None


def incident_alerted(report: Report, alerts: list[Alert], *, actor: User | None) -> None:
    incident = report.incident
    # The labels are written in the site's language: the parameters are kept as written.
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "kind": str(incident.get_kind_display()),
            "grade": str(incident.get_grade_display()),
            "place": incident.place_name,
            "number": incident.number,
        }
    staff = list(recipients.organisation_staff([alert.recipient_id for alert in alerts]))
    contact = designated_contact(incident)
    if contact is None:
        message = CORRECTED if report.amends_id else MESSAGES[Stage(report.stage)]
    else:
        # The contact follows the institution: told of every report, whichever body they are in.
        params["contact"] = contact.get_full_name()
        message = CORRECTED_WITH_CONTACT if report.amends_id else WITH_CONTACT[Stage(report.stage)]
        if all(user.pk != contact.pk for user in staff):
            staff.append(contact)
    notify(
        kind=Kind.INCIDENT_ALERT,
        recipients=recipients.others(staff, actor),
        key=f"incident:{incident.pk}:report:{report.pk}",
        message=message,
        params=params,
        url=reverse("incidents:incident_detail", args=[incident.pk]),
    )


def report_forwarded(forwarding: Forwarding, *, actor: User | None) -> None:
    """A county bureau's forwarding reaches the city bureau's staff (the province is outside
    the system: its forwarding is a record, nobody here to tell)."""
    if forwarding.recipient_id is None:
        return
    report, incident = forwarding.report, forwarding.incident
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "sender": str(forwarding.sender),
            "stage": str(report),
            "kind": str(incident.get_kind_display()),
            "place": incident.place_name,
            "number": incident.number,
        }
    notify(
        kind=Kind.INCIDENT_ALERT,
        recipients=recipients.others(
            recipients.organisation_staff([forwarding.recipient_id]), actor
        ),
        key=f"incident:{incident.pk}:report:{report.pk}:forwarded",
        message=FORWARDED,
        params=params,
        url=reverse("incidents:incident_detail", args=[incident.pk]) + "#chain",
    )


CASUALTIES_CHANGED = gettext_noop(
    "Casualties changed: %(kind)s at %(place)s (incident %(number)s): %(deaths)s dead, "
    "%(serious)s seriously injured, %(missing)s missing. %(what)s"
)
SUPPLEMENTARY_DUE = gettext_noop(
    "Casualties changed: %(kind)s at %(place)s (incident %(number)s): %(deaths)s dead, "
    "%(serious)s seriously injured, %(missing)s missing. %(what)s A supplementary report is "
    "due by %(due)s."
)


def casualties_changed(change, organisations, *, actor: User | None) -> None:
    """A change in casualties reaches the staff of the bodies the incident's reports go to
    (and the designated contact) at once, before the supplementary report it may demand."""
    incident = change.incident
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "kind": str(incident.get_kind_display()),
            "place": incident.place_name,
            "number": incident.number,
            "deaths": change.deaths,
            "serious": change.serious_injuries,
            "missing": change.missing_count,
            "what": change.what_changed,
        }
    due = change.report_due_at
    if due is not None:
        params["due"] = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
    staff = list(recipients.organisation_staff([org.pk for org in organisations]))
    contact = designated_contact(incident)
    if contact is not None and all(user.pk != contact.pk for user in staff):
        staff.append(contact)
    notify(
        kind=Kind.INCIDENT_ALERT,
        recipients=recipients.others(staff, actor),
        key=f"incident:{incident.pk}:change:{change.pk}",
        message=SUPPLEMENTARY_DUE if due is not None else CASUALTIES_CHANGED,
        params=params,
        url=reverse("incidents:incident_detail", args=[incident.pk]),
    )
