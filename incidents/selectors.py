"""Reads scoped to the asking user: incidents through ``institutions_for`` (and, for incidents at
a rescue station, the station, the bureaus above it and the city), alerts by organisation, the
overdue panel and the quarterly rates."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.selectors import organisations_in_scope
from audit_portal.rules import rules

# Overdue stages listed on a staff home page.
# The figures and rates other apps ask for (``inspections.hooks``) live in ``incidents.figures``.
from incidents.figures import (  # noqa: F401 - answered through this module by apps.py
    incident_figures,
    incident_kinds,
    incident_rates,
    incidents_by_kind_per_month,
    quarter_bounds,
    with_incident_rates,
)
from incidents.models import (
    Alert,
    CasualtyChange,
    Incident,
    Kind,
    PoliceRecord,
    Report,
    Stage,
    forwarding_due,
)
from inspections.models import Institution
from inspections.selectors import institutions_for

PANEL_ROWS = 10
# As a list, not ``exclude(closed)``: the status index then finds the few not closed.
NOT_CLOSED = [Incident.Status.OPEN, Incident.Status.FINAL]


def incidents_for(user: User) -> QuerySet[Incident]:
    """Incidents a user may see. Supervisors see none: incident reports name residents and
    are for the bodies that supervise and report."""
    incidents = Incident.objects.select_related(
        "institution",
        "station",
        "institution__county",
        # 定点联系: named on the incident page (``chain_views``).
        "institution__designated_contact__organisation",
    )
    if not user.is_authenticated or not user.is_active:
        return incidents.none()
    if user.is_admin:
        return incidents
    if user.is_institution_user:
        return incidents.filter(
            institution__in=institutions_for(user), institution_id=user.institution_id
        )
    if user.is_civil_affairs_staff:
        stations = organisations_in_scope(user).filter(kind=Organisation.Kind.STATION)
        return incidents.filter(Q(institution__in=institutions_for(user)) | Q(station__in=stations))
    return incidents.none()


def reports_for(user: User) -> QuerySet[Report]:
    """Reports of the incidents a user may see (and so their attachments)."""
    return Report.objects.filter(incident__in=incidents_for(user))


def with_attachments(reports: list[Report]) -> list[Report]:
    """Set ``report.attachments`` (its evidence files) on each report, in one query."""
    from audit_portal.core.evidence import evidence_by_owner

    files = evidence_by_owner(reports)
    for report in reports:
        report.attachments = files[report.pk]
    return reports


def reporting_places(user: User) -> tuple[Institution | None, Organisation | None]:
    """Where a user files reports for: their institution, or their rescue station."""
    if user.is_institution_user and user.institution_id:
        return institutions_for(user).filter(pk=user.institution_id).first(), None
    if user.is_civil_affairs_staff and user.organisation_kind == Organisation.Kind.STATION:
        return None, user.organisation
    return None, None


def police_outstanding_q(now: datetime.datetime) -> Q:
    """The database form of ``Incident.police_outstanding``."""
    minutes = datetime.timedelta(minutes=rules().missing_person_police_minutes)
    has_record = Exists(PoliceRecord.objects.filter(incident=OuterRef("pk")))
    missing_overdue = Q(kind=Kind.MISSING, discovered_at__lt=now - minutes) & ~Q(
        resident_found_at__lte=F("discovered_at") + minutes
    )
    at_once = Q(kind__in=[Kind.DEATH, Kind.ABUSE]) | Q(deaths__gt=0)
    return (missing_overdue | at_once) & ~has_record


def final_late_q(now: datetime.datetime) -> Q:
    """The database form of a final report past its time (``Report.late_by``,
    ``Incident.final_overdue``): filed after the day it was due (``final_due_on``, set when the
    incident was declared over), or that day over and still not come."""
    local_day = TruncDate("submitted_at", tzinfo=timezone.get_current_timezone())
    filed_late = (
        Report.objects.filter(incident=OuterRef("pk"), stage=Stage.FINAL, amends__isnull=True)
        .annotate(day=local_day)
        .filter(day__gt=OuterRef("final_due_on"))
    )
    return Q(final_due_on__isnull=False) & (Q(Exists(filed_late)) | final_missing_q(now))


def final_missing_q(now: datetime.datetime) -> Q:
    """Declared over, still open, and the day its final report was due is over
    (``Incident.final_overdue``). An incident not declared over owes no final report, however
    long it lasts: a resident still missing on day 31 is not a late final report."""
    return Q(status=Incident.Status.OPEN, final_due_on__lt=timezone.localdate(now))


def _unanswered_changes() -> QuerySet[CasualtyChange]:
    """The changes in casualties of the outer incident still owed a supplementary report."""
    return CasualtyChange.objects.filter(
        incident=OuterRef("pk"), demands_report=True, answered_by__isnull=True
    )


def supplementary_since() -> Subquery:
    """When the earliest change still owed a supplementary report was recorded (NULL: none)."""
    first = _unanswered_changes().order_by("recorded_at").values("recorded_at")[:1]
    return Subquery(first, output_field=DateTimeField())


def supplementary_overdue_q(now: datetime.datetime) -> Q:
    """A change in casualties whose supplementary report is past its time ("2小时内": the
    120th minute still counts)."""
    late = now - datetime.timedelta(minutes=rules().incident_forwarding_minutes)
    return Q(Exists(_unanswered_changes().filter(recorded_at__lt=late)))


def pending_change(incident: Incident) -> CasualtyChange | None:
    """The latest change in casualties no report has answered yet (demanding one or not)."""
    return (
        incident.casualty_changes.filter(answered_by__isnull=True)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def known_casualties(incident: Incident) -> dict:
    """The figures known now: the latest change not yet answered by a report, or else the
    incident's current figures (those of its latest report); loss from the incident."""
    change = pending_change(incident)
    source = change or incident
    return {
        "deaths": source.deaths,
        "serious_injuries": source.serious_injuries,
        "missing_count": source.missing_count,
        "direct_loss": incident.direct_loss,
    }


def supplementary_due_at(
    incident: Incident, changes: list[CasualtyChange] | None = None
) -> datetime.datetime | None:
    """When the supplementary report owed for the earliest unanswered change is due
    (``changes``: the incident's, when the caller has already read them)."""
    if changes is None:
        changes = incident.casualty_changes.filter(demands_report=True, answered_by__isnull=True)
    owed = [c.report_due_at for c in changes if c.demands_report and c.answered_by_id is None]
    return min(owed, default=None)


def mark_deadlines(incidents: list[Incident], now: datetime.datetime | None = None) -> None:
    """Set, on each incident of a page, ``final_late``, ``police_owed`` and
    ``supplementary_due`` (with ``supplementary_overdue``), in one query over the page's ids:
    as annotations of the whole list, PostgreSQL checked every incident's final report before
    taking the page (66 ms at city scale)."""
    now = now or timezone.now()
    rows = (
        Incident.objects.filter(pk__in=[incident.pk for incident in incidents])
        .order_by()
        .annotate(
            final_late=ExpressionWrapper(final_late_q(now), output_field=BooleanField()),
            police_owed=ExpressionWrapper(police_outstanding_q(now), output_field=BooleanField()),
            change_since=supplementary_since(),
        )
        .values_list("pk", "final_late", "police_owed", "change_since")
    )
    found = {pk: (late, police, since) for pk, late, police, since in rows}
    for incident in incidents:
        late, police, since = found.get(incident.pk, (False, False, None))
        incident.final_late = bool(late)
        incident.police_owed = bool(police)
        incident.supplementary_due = forwarding_due(since) if since else None
        incident.supplementary_overdue = since is not None and incident.supplementary_due < now


def filtered(
    incidents: QuerySet[Incident],
    *,
    kind: str = "",
    grade: int | None = None,
    late: bool | None = None,
    open_only: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[Incident]:
    """``late``: a stage reported late or overdue (the initial report, the final report, or a
    supplementary report owed past its time)."""
    if kind:
        incidents = incidents.filter(kind=kind)
    if grade:
        incidents = incidents.filter(grade=grade)
    now = now or timezone.now()
    any_late = Q(late_minutes__gt=0) | final_late_q(now) | supplementary_overdue_q(now)
    if late is True:
        incidents = incidents.filter(any_late)
    elif late is False:
        incidents = incidents.exclude(any_late)
    if open_only:
        incidents = incidents.exclude(status=Incident.Status.CLOSED)
    return incidents


def alerts_for(user: User) -> QuerySet[Alert]:
    """Alerts addressed to the user's organisation (administrators see all)."""
    alerts = Alert.objects.select_related("incident", "report", "recipient", "read_by")
    if user.is_authenticated and user.is_admin:
        return alerts
    if user.is_authenticated and user.is_civil_affairs_staff and user.organisation_id:
        return alerts.filter(recipient_id=user.organisation_id)
    return alerts.none()


@dataclass(frozen=True)
class Overdue:
    incident: Incident
    what: str
    due_at: datetime.datetime


def police_due_at() -> ExpressionWrapper:
    """The database form of ``Incident.police_report_due_at`` (for the incidents that owe one)."""
    minutes = datetime.timedelta(minutes=rules().missing_person_police_minutes)
    return ExpressionWrapper(
        Case(
            When(Q(kind__in=[Kind.DEATH, Kind.ABUSE]) | Q(deaths__gt=0), then=F("discovered_at")),
            default=F("discovered_at") + minutes,
        ),
        output_field=DateTimeField(),
    )


def followup_window_ends_at() -> ExpressionWrapper:
    """The database form of ``Incident.followup_window_ends_at`` (the supplementary window,
    never the final report's deadline)."""
    r = rules()
    fire = datetime.timedelta(days=r.incident_followup_days_fire)
    other = datetime.timedelta(days=r.incident_followup_days)
    return ExpressionWrapper(
        Case(
            When(kind=Kind.FIRE, then=F("occurred_at") + fire),
            default=F("occurred_at") + other,
        ),
        output_field=DateTimeField(),
    )


def overdue_stages(
    user: User,
    now: datetime.datetime | None = None,
    *,
    limit: int | None = None,
    stages: frozenset[str] = frozenset({"police", "supplementary", "final"}),
) -> list[Overdue]:
    """Incidents not closed with a stage past its time: a police record owed, a supplementary
    report owed for a change in casualties, or the final report of an incident declared over;
    the longest overdue first (the first ``limit``). Sorted and cut in the database: a page that
    shows ten does not load every open incident. ``stages``: only those (a panel that counted
    none of a stage does not look for it)."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    # A row names its incident by place, kind and time: the institution or the station is all
    # it joins (the incident page's joins quadrupled each query's planning at city scale).
    incidents = (
        incidents_for(user)
        .select_related(None)
        .select_related("institution", "station")
        .filter(status__in=NOT_CLOSED)
    )
    police = (
        incidents.filter(police_outstanding_q(now))
        .annotate(due=police_due_at())
        .order_by("due", "pk")
    )
    supplementary = (
        incidents.filter(supplementary_overdue_q(now))
        .annotate(since=supplementary_since())
        .order_by("since", "pk")
    )
    final = incidents.filter(final_missing_q(now)).order_by("final_due_on", "pk")
    if limit is not None:
        police, supplementary, final = police[:limit], supplementary[:limit], final[:limit]
    rows = []
    if "police" in stages:
        rows += [Overdue(incident, _("Police record"), incident.due) for incident in police]
    if "supplementary" in stages:
        rows += [
            Overdue(incident, _("Supplementary report"), forwarding_due(incident.since))
            for incident in supplementary
        ]
    if "final" in stages:
        rows += [
            Overdue(incident, _("Final report"), incident.final_due_at()) for incident in final
        ]
    rows.sort(key=lambda row: row.due_at)
    return rows if limit is None else rows[:limit]


def overdue_panel(user: User) -> dict | None:
    now = timezone.now()
    counts = (
        incidents_for(user)
        .select_related(None)
        .filter(status__in=NOT_CLOSED)
        .aggregate(
            open=Count("pk"),
            police=Count("pk", filter=police_outstanding_q(now)),
            supplementary=Count("pk", filter=supplementary_overdue_q(now)),
            final=Count("pk", filter=final_missing_q(now)),
            # Forwarding upward overdue at any level (the partial index): the rows of the
            # user's own level are read only when there is some.
            forwarding=Count("pk", filter=Q(forwarding_due_at__lt=now)),
        )
    )
    # Changes in casualties are rare: their query runs only when one was counted.
    stages = frozenset(
        {"police", "final"} | ({"supplementary"} if counts["supplementary"] else set())
    )
    overdue = overdue_stages(user, now, limit=PANEL_ROWS, stages=stages)
    total = counts["police"] + counts["supplementary"] + counts["final"]
    return {
        # The most overdue first, a page's worth; the list of late incidents has the rest.
        "overdue": overdue,
        "more": max(total - len(overdue), 0),
        "open": counts["open"],
        "unread": alerts_for(user).filter(read_at__isnull=True).count(),
        "forwarding": _forwarding_overdue(user, now) if counts["forwarding"] else None,
    }


def _forwarding_overdue(user: User, now: datetime.datetime) -> dict | None:
    # The chain's reads build on this module's: imported here, not at the top.
    from incidents.chain import forwarding_overdue

    return forwarding_overdue(user, now, limit=PANEL_ROWS)


def reporter_panel(user: User) -> dict | None:
    institution, station = reporting_places(user)
    if institution is None and station is None:
        return None
    return {"overdue": overdue_stages(user), "open": incidents_for(user).filter(status="open")}


# Rates -------------------------------------------------------------------------------------------


def incident_history(incident: Incident) -> list:
    from audit_portal.core.history_view import trail

    return trail([Incident.history.filter(id=incident.pk)])
