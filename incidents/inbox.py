"""What waits for each person in the incidents app, for the to-do inbox (``inbox_sources``;
see ``audit_portal/notices/registry.py``): the incidents an organisation has been alerted to and
not yet acknowledged, and the police records a reporting body owes."""

import datetime

from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.notices.registry import InboxItem, InboxSection, inbox_section
from audit_portal.rules import rules
from incidents.chain import owed_by, regulators_missing_q
from incidents.models import Incident
from incidents.selectors import (
    NOT_CLOSED,
    alerts_for,
    incidents_for,
    police_due_at,
    police_outstanding_q,
    reporting_places,
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


def reports_to_forward(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """The reports the user's bureau owes upward (逐级上报): county staff forward to the city
    bureau, city staff to the province; the earliest due first. Recording the forwarding
    clears it."""
    owed = owed_by(user)
    if owed is None or not user.has_perm("incidents.acknowledge_incident"):
        return None
    now = timezone.now()
    return inbox_section(
        "incidents_reports_to_forward",
        _("Reports to forward"),
        owed,
        limit=limit,
        item=lambda report: InboxItem(
            title=f"{_title(report.incident)} · {report.get_stage_display()}",
            url=_url(report.incident) + "#chain",
            due=report.due,
            overdue=report.due < now,
        ),
    )


def regulators_to_record(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """The reporting body's incidents of a kind that must be reported to safety regulators (a
    fire: fire and rescue, emergency management; food safety: market supervision, health) with
    one not recorded as told; due with the initial report, the longest owed first."""
    institution, station = reporting_places(user)
    if institution is not None:
        place = {"institution_id": institution.pk}
    elif station is not None:
        place = {"station_id": station.pk}
    else:
        return None
    if not user.has_perm("incidents.report_incident"):
        return None
    minutes = datetime.timedelta(minutes=rules().incident_initial_report_minutes)
    waiting = (
        incidents_for(user)
        .filter(regulators_missing_q(), status__in=NOT_CLOSED, **place)
        .annotate(due=ExpressionWrapper(F("discovered_at") + minutes, output_field=DateTimeField()))
        .order_by("due", "pk")
    )
    now = timezone.now()
    return inbox_section(
        "incidents_regulators_to_record",
        _("Reports to safety regulators"),
        waiting,
        limit=limit,
        item=lambda incident: InboxItem(
            title=_title(incident),
            url=_url(incident) + "#chain",
            due=incident.due,
            overdue=incident.due < now,
        ),
    )


def supplementary_reports_owed(user: User, *, on: datetime.date, limit: int) -> InboxSection | None:
    """The reporting body's incidents with a change in casualties, recorded within the
    supplementary window, that no report has answered yet: due within the forwarding time of
    the change, the earliest first. Filing the follow-up (or, after the final report, amending
    it) clears it."""
    from incidents.models import forwarding_due
    from incidents.selectors import supplementary_since

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
        .filter(status__in=NOT_CLOSED, **place)
        .annotate(since=supplementary_since())
        .filter(since__isnull=False)
        .order_by("since", "pk")
    )
    now = timezone.now()

    def item(incident: Incident) -> InboxItem:
        due = forwarding_due(incident.since)
        page = "incidents:incident_followup"
        if incident.status != Incident.Status.OPEN:
            page = "incidents:incident_detail"
        return InboxItem(
            title=_title(incident),
            url=reverse(page, args=[incident.pk]),
            due=due,
            overdue=due < now,
        )

    return inbox_section(
        "incidents_supplementary_owed",
        _("Supplementary reports to file"),
        waiting,
        limit=limit,
        item=item,
    )
