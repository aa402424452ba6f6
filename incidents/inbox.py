"""What waits for each person in the incidents app, for the to-do inbox (``inbox_sources``;
see ``audit_portal/notices/registry.py``): the incidents an organisation has been alerted to and
not yet acknowledged, and the police records a reporting body owes."""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.notices.registry import InboxItem, InboxSection, inbox_section
from incidents.models import Incident
from incidents.selectors import (
    NOT_CLOSED,
    alerts_for,
    incidents_for,
    police_due_at,
    police_outstanding_q,
)


def _title(incident: Incident) -> str:
    return f"{incident.number} · {incident.get_kind_display()} · {incident.place_name}"


def _url(incident: Incident) -> str:
    return reverse("incidents:incident_detail", args=[incident.pk])


def incidents_to_acknowledge(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """Incidents not closed with an alert to the user's organisation that nobody there has
    read: acknowledging the incident (or reading the alert) clears it. The gravest first."""
    if not (user.is_civil_affairs_staff and user.organisation_id):
        return None
    if not user.has_perm("incidents.acknowledge_incident"):
        return None
    unread = alerts_for(user).filter(incident=OuterRef("pk"), read_at__isnull=True)
    waiting = (
        Incident.objects.filter(Exists(unread), status__in=NOT_CLOSED)
        .select_related("institution", "station")
        .order_by("-grade", "discovered_at", "pk")
    )
    return inbox_section(
        "incidents_to_acknowledge",
        _("Incidents to acknowledge"),
        waiting,
        limit=limit,
        item=lambda incident: InboxItem(
            title=_title(incident),
            url=_url(incident),
            detail=str(incident.get_grade_display()),
        ),
        more_url=reverse("incidents:alert_list"),
    )


def incidents_owing_police(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """The reporting body's incidents whose police record is owed and not recorded (a death,
    suspected abuse, a resident still missing after the hour): the longest owed first."""
    if user.is_institution_user and user.institution_id:
        place = {"institution_id": user.institution_id}
    elif user.is_civil_affairs_staff and user.organisation_kind == "station":
        place = {"station_id": user.organisation_id}
    else:
        return None
    if not user.has_perm("incidents.report_incident"):
        return None
    waiting = (
        incidents_for(user)
        .filter(police_outstanding_q(timezone.now()), status__in=NOT_CLOSED, **place)
        .annotate(due=police_due_at())
        .order_by("due", "pk")
    )
    return inbox_section(
        "incidents_owing_police",
        _("Police records to enter"),
        waiting,
        limit=limit,
        item=lambda incident: InboxItem(
            title=_title(incident),
            url=reverse("incidents:police_record_add", args=[incident.pk]),
            due=incident.due,
            overdue=True,
        ),
    )
