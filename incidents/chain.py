"""Reads of the reporting chain (DOMAIN §5, Order 493): each report forwarded level by level
(逐级上报: the county bureau to the city bureau, the city bureau to the province) within
``incident_forwarding_minutes`` of the level receiving it, and the safety regulators told.

Who owes what: the county bureau that first receives a report (an institution's county; a
station's bureau when it is a county) forwards it to the city. The city forwards every report to
the province, its clock starting when it received the report: the earlier of the county's
forwarding and a direct alert to the city (deaths, missing residents, grade 较大 and above), or
the report itself when the city is the first receiver. A clock never starts before its level
has received the report.

``forwarding_clocks`` answers for one incident (its page and PDF); ``owed_forwardings`` is the
database form, for the inbox, the home panel and the reminders, read from the incidents whose
stored ``forwarding_due_at`` says something is owed (a partial index).
"""

import datetime
import functools
import operator
from dataclasses import dataclass

from django.db import models
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy

from audit_portal.accounts.models import Organisation, User
from audit_portal.rules import rules
from incidents.models import (
    Alert,
    Forwarding,
    Incident,
    Regulator,
    RegulatorReport,
    Report,
    forwarding_due,
    regulators_required,
)

Level = Forwarding.Level


class ClockState(models.TextChoices):
    WAITING = "waiting", gettext_lazy("Not received yet")
    OWED = "owed", gettext_lazy("To forward")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    ON_TIME = "on_time", gettext_lazy("Forwarded on time")
    LATE = "late", gettext_lazy("Forwarded late")


# The places in the chain ---------------------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """The bureaus an incident's reports pass through: the county that first receives them
    (none when the city does) and the city."""

    county_id: int | None
    city_id: int

    def sender(self, level: str) -> int | None:
        return self.county_id if level == Level.TO_CITY else self.city_id

    @property
    def levels(self) -> tuple[str, ...]:
        if self.county_id is None:
            return (Level.TO_PROVINCE,)
        return (Level.TO_CITY, Level.TO_PROVINCE)


def chain_of(incident: Incident) -> Chain:
    """No query for an institution incident read with its county (``incidents_for``); one for
    a station incident (the bureau above the station)."""
    if incident.institution_id:
        county = incident.institution.county
        return Chain(county_id=county.pk, city_id=county.parent_id)
    parent = incident.station.parent
    if parent.kind == Organisation.Kind.COUNTY:
        return Chain(county_id=parent.pk, city_id=parent.parent_id)
    return Chain(county_id=None, city_id=parent.pk)


def owes_forwarding(level: str, incident: Incident, now: datetime.datetime) -> bool:
    """Whether a report waits to be forwarded at ``level`` (from ``prefetch_chain``)."""
    return any(
        clock.owed
        for row in forwarding_clocks(incident, now)
        for clock in row.clocks
        if clock.level == level
    )


def forward_level(user: User, incident: Incident) -> str | None:
    """The level a user forwards this incident's reports at: staff of the county bureau that
    first receives them send to the city, staff of the city bureau to the province."""
    if not (user.is_authenticated and user.is_civil_affairs_staff and user.organisation_id):
        return None
    chain = chain_of(incident)
    for level in chain.levels:
        if chain.sender(level) == user.organisation_id:
            return level
    return None


# One incident's clocks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    report: Report
    level: str
    received_at: datetime.datetime | None
    forwarding: Forwarding | None
    now: datetime.datetime

    @property
    def due_at(self) -> datetime.datetime | None:
        return forwarding_due(self.received_at) if self.received_at else None

    @property
    def state(self) -> str:
        if self.forwarding is not None:
            return ClockState.LATE if self.forwarding.late_by else ClockState.ON_TIME
        if self.received_at is None:
            return ClockState.WAITING
        return ClockState.OVERDUE if self.now > self.due_at else ClockState.OWED

    @property
    def state_label(self) -> str:
        return ClockState(self.state).label

    @property
    def owed(self) -> bool:
        return self.state in (ClockState.OWED, ClockState.OVERDUE)

    @property
    def late_by(self) -> datetime.timedelta | None:
        """How late it was forwarded, or how overdue it is now."""
        if self.forwarding is not None:
            return self.forwarding.late_by
        if self.state == ClockState.OVERDUE:
            return self.now - self.due_at
        return None

    @property
    def level_label(self) -> str:
        return Level(self.level).label


@dataclass(frozen=True)
class ReportClocks:
    report: Report
    clocks: tuple[Clock, ...]


# What the chain reads of an incident, loaded once per request (``prefetch_chain``): the page's
# policy, its clocks and its regulator list (and the closing rule's) then share three queries.
CHAIN_LOOKUPS = ("reports", "forwardings", "regulator_reports")


def _city_alerted_at() -> Subquery:
    """On a report: when the city bureau was alerted to it directly, if it was."""
    return Subquery(
        Alert.objects.filter(report=OuterRef("pk"), recipient__kind=Organisation.Kind.CITY)
        .order_by("created_at")
        .values("created_at")[:1],
        output_field=DateTimeField(),
    )


def prefetch_chain(incident: Incident) -> Incident:
    """Load the incident's reports (each with ``city_alerted_at``), forwardings and regulator
    records: three queries, none if already loaded."""
    prefetch_related_objects(
        [incident],
        Prefetch(
            "reports",
            queryset=Report.objects.select_related("submitted_by", "amends").annotate(
                city_alerted_at=_city_alerted_at()
            ),
        ),
        Prefetch(
            "forwardings",
            queryset=Forwarding.objects.select_related("forwarded_by", "sender", "recipient"),
        ),
        Prefetch(
            "regulator_reports", queryset=RegulatorReport.objects.select_related("recorded_by")
        ),
    )
    return incident


def forget_chain(incident: Incident) -> Incident:
    """Drop what ``prefetch_chain`` loaded: a write that adds to it reads afresh."""
    cache = getattr(incident, "_prefetched_objects_cache", {})
    for name in CHAIN_LOOKUPS:
        cache.pop(name, None)
    return incident


def forwarding_clocks(
    incident: Incident, now: datetime.datetime, *, chain: Chain | None = None
) -> list[ReportClocks]:
    """Per report (in the order filed) and level: when the level received it, when it is due,
    the forwarding recorded and its state. From ``prefetch_chain`` if the caller loaded it (a
    page), otherwise three queries whose results are not left on the incident (a service or a
    test must not read a stale list of its reports later)."""
    chain = chain or chain_of(incident)
    loaded = CHAIN_LOOKUPS[0] in getattr(incident, "_prefetched_objects_cache", {})
    prefetch_chain(incident)
    reports = sorted(incident.reports.all(), key=lambda report: (report.submitted_at, report.pk))
    done = {
        (forwarding.report_id, forwarding.level): forwarding
        for forwarding in incident.forwardings.all()
    }
    if not loaded:
        forget_chain(incident)
    rows = []
    for report in reports:
        clocks = []
        if chain.county_id is not None:
            clocks.append(
                Clock(
                    report,
                    Level.TO_CITY,
                    report.submitted_at,
                    done.get((report.pk, Level.TO_CITY)),
                    now,
                )
            )
            to_city = done.get((report.pk, Level.TO_CITY))
            starts = [
                at
                for at in (to_city and to_city.forwarded_at, report.city_alerted_at)
                if at is not None
            ]
            received = min(starts) if starts else None
        else:
            received = report.submitted_at
        to_province = done.get((report.pk, Level.TO_PROVINCE))
        if to_province is not None:
            received = to_province.received_at
        clocks.append(Clock(report, Level.TO_PROVINCE, received, to_province, now))
        rows.append(ReportClocks(report, tuple(clocks)))
    return rows


def next_forwarding_due(rows: list[ReportClocks]) -> datetime.datetime | None:
    """The earliest due time of a forwarding still owed (``Incident.forwarding_due_at``)."""
    owed = [clock.due_at for row in rows for clock in row.clocks if clock.owed]
    return min(owed, default=None)


# Forwarding owed, in the database --------------------------------------------------------------


def _county_id() -> Case:
    """On a report: the county bureau that first receives it, NULL when the city does."""
    return Case(
        When(incident__institution__isnull=False, then=F("incident__institution__county_id")),
        When(
            incident__station__parent__kind=Organisation.Kind.COUNTY,
            then=F("incident__station__parent_id"),
        ),
        default=None,
        output_field=models.BigIntegerField(),
    )


def _city_id() -> Coalesce:
    return Coalesce(
        F("incident__institution__county__parent_id"),
        Case(
            When(
                incident__station__parent__kind=Organisation.Kind.CITY,
                then=F("incident__station__parent_id"),
            ),
            default=F("incident__station__parent__parent_id"),
        ),
        output_field=models.BigIntegerField(),
    )


def _city_received() -> Case:
    """When the city received a report: the earlier of the county's forwarding and a direct
    alert to the city; the report itself when the city receives it first. (``Least`` over two
    ``Coalesce``s: SQLite's MIN() of a NULL is NULL, PostgreSQL's LEAST skips it.)"""
    forwarded = Subquery(
        Forwarding.objects.filter(report=OuterRef("pk"), level=Level.TO_CITY).values(
            "forwarded_at"
        )[:1]
    )
    alerted = _city_alerted_at()
    return Case(
        When(county_id__isnull=True, then=F("submitted_at")),
        default=Least(Coalesce(forwarded, alerted), Coalesce(alerted, forwarded)),
        output_field=DateTimeField(),
    )


def owed_forwardings(level: str) -> QuerySet[Report]:
    """The reports owing a forwarding at ``level`` (received by the level, not forwarded), each
    with ``sender_id`` (the bureau that owes it), ``received`` and ``due``; only those of
    incidents whose stored ``forwarding_due_at`` says something is owed."""
    minutes = datetime.timedelta(minutes=rules().incident_forwarding_minutes)
    reports = (
        Report.objects.filter(incident__forwarding_due_at__isnull=False)
        .annotate(county_id=_county_id(), city_id=_city_id())
        .exclude(Exists(Forwarding.objects.filter(report=OuterRef("pk"), level=level)))
    )
    if level == Level.TO_CITY:
        reports = reports.filter(county_id__isnull=False).annotate(
            sender_id=F("county_id"), received=F("submitted_at")
        )
    else:
        reports = reports.annotate(sender_id=F("city_id"), received=_city_received()).filter(
            received__isnull=False
        )
    return reports.annotate(
        due=ExpressionWrapper(F("received") + minutes, output_field=DateTimeField())
    ).select_related("incident__institution", "incident__station")


def owed_by(user: User) -> QuerySet[Report] | None:
    """The forwardings the user's bureau owes (county staff: to the city; city staff: to the
    province), the earliest due first; ``None`` for anyone else."""
    if not (user.is_authenticated and user.is_civil_affairs_staff and user.organisation_id):
        return None
    kind = user.organisation_kind
    if kind == Organisation.Kind.COUNTY:
        level = Level.TO_CITY
    elif kind == Organisation.Kind.CITY:
        level = Level.TO_PROVINCE
    else:
        return None
    return (
        owed_forwardings(level)
        .filter(sender_id=user.organisation_id)
        .annotate(level=models.Value(level, output_field=models.CharField()))
        .order_by("due", "pk")
    )


# Regulators ---------------------------------------------------------------------------------


def regulators_missing_q() -> Q:
    """The database form of ``regulators_missing``: an incident of a kind that requires a
    regulator no record says was told."""
    conditions = []
    for kind, required in rules().incident_regulators.items():
        if not required:
            continue
        told = [
            Exists(RegulatorReport.objects.filter(incident=OuterRef("pk"), regulator=regulator))
            for regulator in required
        ]
        conditions.append(Q(kind=kind) & ~functools.reduce(operator.and_, told))
    if not conditions:
        return Q(pk__in=[])
    return functools.reduce(operator.or_, conditions)


def mark_regulators_missing(incidents: list[Incident]) -> None:
    """Set ``regulators_missing`` (labels) on each incident of a page, in one query at most."""
    needing = [incident.pk for incident in incidents if regulators_required(incident.kind)]
    told: dict[int, set[str]] = {}
    if needing:
        for incident_id, regulator in RegulatorReport.objects.filter(
            incident_id__in=needing
        ).values_list("incident_id", "regulator"):
            told.setdefault(incident_id, set()).add(regulator)
    for incident in incidents:
        incident.regulators_missing = [
            Regulator(regulator).label
            for regulator in regulators_required(incident.kind)
            if regulator not in told.get(incident.pk, set())
        ]


def forwarding_overdue(user: User, now: datetime.datetime, *, limit: int) -> dict | None:
    """For a staff home page: the first ``limit`` forwardings the user's bureau owes that are
    overdue, and how many there are (one query: the incidents found on the partial index of
    ``forwarding_due_at``, the count carried by the rows). ``None`` for anyone who owes none."""
    owed = owed_by(user)
    if owed is None:
        return None
    rows = list(
        owed.filter(incident__forwarding_due_at__lt=now, due__lt=now).annotate(
            total=models.Window(models.Count("pk"))
        )[:limit]
    )
    return {"rows": rows, "count": rows[0].total if rows else 0}
