"""The incident itself (DOMAIN §5): its kind, place, event times and current figures, the
deadlines that run from its discovery, and the police records (报警) some kinds of incident owe.

Every time the system relies on (reported, recorded) is stamped by the server; the only times a
reporter types are facts of the event (when it happened, was discovered, when police were
called, when a missing resident was found).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from audit_portal.core.models import Regulated
from audit_portal.rules import rules
from incidents.grading import Grade


class Kind(models.TextChoices):
    MISSING = "missing", gettext_lazy("Resident missing")
    DEATH = "death", gettext_lazy("Death")
    INJURY = "injury", gettext_lazy("Injury")
    FIRE = "fire", gettext_lazy("Fire")
    FOOD_SAFETY = "food_safety", gettext_lazy("Food safety")
    HEALTH = "health", gettext_lazy("Health or epidemic")
    ABUSE = "abuse", gettext_lazy("Suspected abuse")
    OTHER = "other", gettext_lazy("Other")


class Incident(Regulated):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("incident", "Open")
        FINAL = "final", gettext_lazy("Final report filed")
        CLOSED = "closed", pgettext_lazy("incident", "Closed")

    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    station = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("rescue station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        limit_choices_to={"kind": "station"},
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=16, choices=Kind.choices)
    occurred_at = models.DateTimeField(gettext_lazy("occurred at"))
    discovered_at = models.DateTimeField(gettext_lazy("discovered at"))
    status = models.CharField(
        gettext_lazy("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    # Server-stamped when the initial report is accepted.
    reported_at = models.DateTimeField(gettext_lazy("initial report received at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Minutes past the initial-report deadline (0: on time), fixed when the report is received.
    late_minutes = models.PositiveIntegerField(gettext_lazy("minutes late"), default=0)
    # Current figures: those of the latest report in force; the grade follows from them.
    deaths = models.PositiveIntegerField(gettext_lazy("deaths"), default=0)
    serious_injuries = models.PositiveIntegerField(gettext_lazy("serious injuries"), default=0)
    direct_loss = models.DecimalField(
        gettext_lazy("direct loss (CNY)"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    missing_count = models.PositiveIntegerField(gettext_lazy("missing persons"), default=0)
    grade = models.PositiveSmallIntegerField(
        gettext_lazy("grade"), choices=Grade.choices, default=Grade.GENERAL
    )
    # The resident on record a missing-person or death incident is about (issue 19): one of the
    # institution's residents, chosen by the reporter within their scope.
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=gettext_lazy("resident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    resident_found_at = models.DateTimeField(
        gettext_lazy("missing resident found at"), null=True, blank=True
    )
    # Declared over (事态平息) by staff or the reporting body, with a reason; the final report is
    # due ``incident_final_report_workdays`` working days later (stored: lists sort on it).
    over_at = models.DateTimeField(gettext_lazy("declared over at"), null=True, blank=True)
    over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("declared over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    over_reason = models.TextField(gettext_lazy("why it is over"), blank=True)
    final_due_on = models.DateField(gettext_lazy("final report due on"), null=True, blank=True)
    # The earliest forwarding still owed upward (逐级上报), kept by the services so that lists
    # and home pages find overdue forwarding on an index; none when nothing is owed.
    forwarding_due_at = models.DateTimeField(
        gettext_lazy("next forwarding due at"), null=True, blank=True
    )
    closed_at = models.DateTimeField(gettext_lazy("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("incident", "closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("incident")
        verbose_name_plural = gettext_lazy("incidents")
        ordering = ["-discovered_at", "-pk"]
        permissions = [
            ("acknowledge_incident", gettext_lazy("Can acknowledge and comment on incidents")),
            ("close_incident", gettext_lazy("Can close incidents")),
            ("report_incident", gettext_lazy("Can file incident reports")),
        ]
        constraints = [
            # The place is an institution or a rescue station, never both or neither.
            models.CheckConstraint(
                condition=(
                    Q(institution__isnull=False, station__isnull=True)
                    | Q(institution__isnull=True, station__isnull=False)
                ),
                name="incidents_incident_one_place",
            ),
            models.CheckConstraint(
                condition=Q(discovered_at__gte=models.F("occurred_at")),
                name="incidents_incident_discovered_after_occurred",
            ),
            models.CheckConstraint(
                condition=Q(reported_at__gte=models.F("discovered_at")),
                name="incidents_incident_reported_after_discovered",
            ),
            models.CheckConstraint(
                condition=Q(direct_loss__gte=0), name="incidents_incident_loss_not_negative"
            ),
            # Only a missing resident or a death names the resident on record.
            models.CheckConstraint(
                condition=Q(resident__isnull=True) | Q(kind__in=["missing", "death"]),
                name="incidents_incident_resident_missing_or_death",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="incidents_incident_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(over_at__isnull=True)
                | (Q(over_by__isnull=False, final_due_on__isnull=False) & ~Q(over_reason="")),
                name="incidents_incident_over_has_reason",
            ),
        ]
        indexes = [
            # Staff lists: open incidents by place, newest first; rate queries by quarter.
            models.Index(fields=["institution", "occurred_at"], name="incidents_inst_time_idx"),
            models.Index(fields=["status", "discovered_at"], name="incidents_status_idx"),
            # The incident list in its default order (Meta.ordering): ORDER BY discovered_at
            # DESC, id DESC LIMIT 25, read from the index instead of sorting every incident.
            models.Index(fields=["-discovered_at", "-id"], name="incidents_list_order_idx"),
            # Home pages and reminders: forwarding owed and final reports due, the few pending.
            models.Index(
                fields=["forwarding_due_at"],
                condition=Q(forwarding_due_at__isnull=False),
                name="incidents_forwarding_due_idx",
            ),
            models.Index(
                fields=["final_due_on"],
                condition=Q(status="open", final_due_on__isnull=False),
                name="incidents_final_due_idx",
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.discovered_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.place_name} · {self.get_kind_display()} · {when}"

    @property
    def place_name(self) -> str:
        return str(self.institution or self.station)

    @property
    def number(self) -> str:
        return f"{timezone.localtime(self.discovered_at):%Y}-{self.pk:05d}"

    # Deadlines -------------------------------------------------------------------------------

    @property
    def initial_due_at(self) -> datetime.datetime:
        return initial_report_due(self.discovered_at)

    @property
    def is_late(self) -> bool:
        return self.late_minutes > 0

    @property
    def police_report_due_at(self) -> datetime.datetime | None:
        """When the police must have the case: at once for a death (reported as one, or counted
        in the figures of any kind: a fire, an injury that proved fatal) and for suspected abuse,
        an hour after discovery for a resident still missing."""
        if self.kind in (Kind.DEATH, Kind.ABUSE) or self.deaths > 0:
            return self.discovered_at
        if self.kind == Kind.MISSING:
            return self.discovered_at + datetime.timedelta(
                minutes=rules().missing_person_police_minutes
            )
        return None

    def police_record_kind(self) -> str | None:
        by_kind = {
            Kind.MISSING: PoliceRecord.Kind.MISSING_PERSON,
            Kind.DEATH: PoliceRecord.Kind.DEATH,
            Kind.ABUSE: PoliceRecord.Kind.ABUSE_REFERRAL,
        }.get(self.kind)
        return by_kind or (PoliceRecord.Kind.DEATH if self.deaths > 0 else None)

    def police_required(self, now: datetime.datetime) -> bool:
        """Whether a police record is owed by ``now`` (found within the hour: none owed)."""
        due = self.police_report_due_at
        if due is None:
            return False
        if self.kind == Kind.MISSING and self.deaths == 0:
            if self.resident_found_at is not None and self.resident_found_at <= due:
                return False
            return now > due
        return True

    def police_outstanding(self, now: datetime.datetime) -> bool:
        return self.police_required(now) and not self.police_records.exists()

    @property
    def followup_window_ends_at(self) -> datetime.datetime:
        days = (
            rules().incident_followup_days_fire
            if self.kind == Kind.FIRE
            else rules().incident_followup_days
        )
        # Order 493 art. 10 counts the 30 (fire: 7) days from the day the incident happened.
        return self.occurred_at + datetime.timedelta(days=days)

    def final_due_at(self) -> datetime.datetime | None:
        """The end (local midnight) of the day the final report is due, once the incident is
        declared over; before that no final report is due, however long it lasts."""
        if self.final_due_on is None:
            return None
        next_day = self.final_due_on + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))

    def final_overdue(self, now: datetime.datetime) -> bool:
        """Declared over, and the final report has not come by its working-day deadline."""
        due = self.final_due_at()
        return self.status == self.Status.OPEN and due is not None and due <= now

    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


def initial_report_due(discovered_at: datetime.datetime) -> datetime.datetime:
    """ "1小时内": the initial report is on time up to and including the 60th minute."""
    return discovered_at + datetime.timedelta(minutes=rules().incident_initial_report_minutes)


def missing_person_police_delay() -> str:
    """How long a resident may be missing before the police are called, as the texts say it:
    "an hour" (1小时) under the default rule, "2 hours" or "90 minutes" if an area sets so."""
    minutes = rules().missing_person_police_minutes
    hours, rest = divmod(minutes, 60)
    if hours and not rest:
        return ngettext("an hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def minutes_late(discovered_at: datetime.datetime, reported_at: datetime.datetime) -> int:
    """Whole minutes past the deadline, a started minute counting as one (60:00 is on time,
    60:01 is one minute late)."""
    overdue = reported_at - initial_report_due(discovered_at)
    if overdue <= datetime.timedelta(0):
        return 0
    return -(-overdue // datetime.timedelta(minutes=1))


class PoliceRecord(Regulated):
    """报警: a missing-person report, a death notification (110) or an abuse referral."""

    class Kind(models.TextChoices):
        MISSING_PERSON = "missing_person", gettext_lazy("Missing-person report to the police")
        DEATH = "death", gettext_lazy("Police notified of the death")
        ABUSE_REFERRAL = "abuse_referral", gettext_lazy("Suspected abuse referred to the police")

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="police_records",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=16, choices=Kind.choices)
    reported_at = models.DateTimeField(gettext_lazy("police called at"))
    police_station = models.CharField(gettext_lazy("police station"), max_length=120)
    case_number = models.CharField(gettext_lazy("case or receipt number"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(gettext_lazy("recorded at"))

    class Meta:
        verbose_name = gettext_lazy("police record")
        verbose_name_plural = gettext_lazy("police records")
        ordering = ["reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.police_station} · {self.case_number}"
