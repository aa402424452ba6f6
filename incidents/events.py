"""What the incidents app tells people: every report filed (initial, follow-up, final or a
correction) reaches the staff of each organisation alerted (``services.alerts``), through the one
notification mechanism (in the application, by mail as each person chooses, and the
organisation's group robot), once per report."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from audit_portal.notices.services import notify
from incidents.models import Alert, Report, Stage
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
    staff = recipients.organisation_staff([alert.recipient_id for alert in alerts])
    notify(
        kind=Kind.INCIDENT_ALERT,
        recipients=recipients.others(staff, actor),
        key=f"incident:{incident.pk}:report:{report.pk}",
        message=CORRECTED if report.amends_id else MESSAGES[Stage(report.stage)],
        params=params,
        url=reverse("incidents:incident_detail", args=[incident.pk]),
    )
