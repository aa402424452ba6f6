"""Staged incident reports (DOMAIN §5): the incident, its reports (initial, follow-ups, final,
and amendments that supersede a report without erasing it), police records, alerts to the
supervising bodies and staff notes.

Every time the system relies on (reported, recorded, read) is stamped by the server; the only
times a reporter types are facts of the event (when it happened, was discovered, when police
were called, when a missing resident was found).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

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


class Stage(models.TextChoices):
    INITIAL = "initial", gettext_lazy("Initial report")
    FOLLOWUP = "followup", gettext_lazy("Follow-up report")
    FINAL = "final", gettext_lazy("Final report")


FIGURES = ("deaths", "serious_injuries", "direct_loss", "missing_count")

# The narrative fields each stage must carry (DOMAIN §5); the figures come with every stage.
STAGE_FIELDS = {
    Stage.INITIAL: (
        "place",
        "source",
        "account",
        "impact_scope",
        "damage_estimate",
        "onsite_rescue",
        "measures",
    ),
    Stage.FOLLOWUP: (
        "casualties",
        "latest_impact",
        "major_changes",
        "measures_effect",
        "next_steps",
    ),
    Stage.FINAL: ("event_time", "cause", "course", "injured_count", "injury_severity", "handling"),
}
NARRATIVE_FIELDS = tuple(name for names in STAGE_FIELDS.values() for name in names)


class Incident(models.Model):
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
    resident_found_at = models.DateTimeField(
        gettext_lazy("missing resident found at"), null=True, blank=True
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

    history = HistoricalRecords()
    REASON_REQUIRED = True

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
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="incidents_incident_closed_has_time",
            ),
        ]
        indexes = [
            # Staff lists: open incidents by place, newest first; rate queries by quarter.
            models.Index(fields=["institution", "occurred_at"], name="incidents_inst_time_idx"),
            models.Index(fields=["status", "discovered_at"], name="incidents_status_idx"),
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

    def final_overdue(self, now: datetime.datetime) -> bool:
        """The follow-up window is over and the final report has still not come."""
        return self.status == self.Status.OPEN and self.followup_window_ends_at < now

    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


def initial_report_due(discovered_at: datetime.datetime) -> datetime.datetime:
    """ "1小时内": the initial report is on time up to and including the 60th minute."""
    return discovered_at + datetime.timedelta(minutes=rules().incident_initial_report_minutes)


def minutes_late(discovered_at: datetime.datetime, reported_at: datetime.datetime) -> int:
    """Whole minutes past the deadline, a started minute counting as one (60:00 is on time,
    60:01 is one minute late)."""
    overdue = reported_at - initial_report_due(discovered_at)
    if overdue <= datetime.timedelta(0):
        return 0
    return -(-overdue // datetime.timedelta(minutes=1))


class Report(models.Model):
    """One submitted stage. Never edited: a correction is a new row that ``amends`` it, with a
    reason; the amended row stays readable and is marked superseded."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    stage = models.CharField(gettext_lazy("stage"), max_length=10, choices=Stage.choices)
    amends = models.OneToOneField(
        "self",
        verbose_name=gettext_lazy("amends"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
    )
    amendment_reason = models.TextField(gettext_lazy("reason for the amendment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"))

    # Initial report.
    place = models.CharField(gettext_lazy("place"), max_length=200, blank=True)
    source = models.CharField(gettext_lazy("source of the information"), max_length=200, blank=True)
    account = models.TextField(gettext_lazy("brief account"), blank=True)
    impact_scope = models.TextField(gettext_lazy("scope of impact"), blank=True)
    damage_estimate = models.TextField(gettext_lazy("first estimate of damage"), blank=True)
    onsite_rescue = models.TextField(gettext_lazy("rescue on site"), blank=True)
    measures = models.TextField(gettext_lazy("measures taken"), blank=True)
    # Follow-up report.
    casualties = models.TextField(gettext_lazy("casualties"), blank=True)
    latest_impact = models.TextField(gettext_lazy("latest impact"), blank=True)
    major_changes = models.TextField(gettext_lazy("major changes"), blank=True)
    measures_effect = models.TextField(gettext_lazy("effect of the measures"), blank=True)
    next_steps = models.TextField(gettext_lazy("next steps"), blank=True)
    # Final report.
    event_time = models.DateTimeField(gettext_lazy("time of the incident"), null=True, blank=True)
    cause = models.TextField(gettext_lazy("cause"), blank=True)
    course = models.TextField(gettext_lazy("course of events"), blank=True)
    injured_count = models.PositiveIntegerField(
        gettext_lazy("number injured"), null=True, blank=True
    )
    injury_severity = models.TextField(gettext_lazy("how badly injured"), blank=True)
    handling = models.TextField(gettext_lazy("how it was handled"), blank=True)
    # Figures, in every stage: the totals known when the report was made.
    deaths = models.PositiveIntegerField(gettext_lazy("deaths"))
    serious_injuries = models.PositiveIntegerField(gettext_lazy("serious injuries"))
    direct_loss = models.DecimalField(
        gettext_lazy("direct loss (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    missing_count = models.PositiveIntegerField(gettext_lazy("missing persons"))

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("incident report")
        verbose_name_plural = gettext_lazy("incident reports")
        ordering = ["submitted_at", "pk"]
        constraints = [
            # An amendment always says why; an original never carries a reason.
            models.CheckConstraint(
                condition=(
                    Q(amends__isnull=True, amendment_reason="")
                    | (Q(amends__isnull=False) & ~Q(amendment_reason=""))
                ),
                name="incidents_report_amendment_has_reason",
            ),
            # One original initial report and one original final report per incident.
            models.UniqueConstraint(
                fields=["incident", "stage"],
                condition=Q(amends__isnull=True, stage__in=["initial", "final"]),
                name="incidents_report_one_initial_one_final",
            ),
            models.CheckConstraint(
                condition=Q(direct_loss__gte=0), name="incidents_report_loss_not_negative"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_stage_display()
        if self.amends_id:
            label = _("%(stage)s (amendment)") % {"stage": label}
        return f"{label} · {timezone.localtime(self.submitted_at):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if not self.stage:
            return
        missing = {}
        for name in STAGE_FIELDS[Stage(self.stage)]:
            value = getattr(self, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                missing[name] = _("This report must say it.")
        if missing:
            raise ValidationError(missing)
        other = set(NARRATIVE_FIELDS) - set(STAGE_FIELDS[Stage(self.stage)])
        stray = [name for name in other if getattr(self, name) not in (None, "")]
        if stray:
            raise ValidationError(_("A report carries only the fields of its own stage."))
        if self.amends_id and self.amends.stage != self.stage:
            raise ValidationError(_("An amendment corrects a report of the same stage."))

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "amended_by")

    @property
    def due_at(self) -> datetime.datetime | None:
        """When this stage was due: the initial report within the hour, the final report by the
        end of the follow-up window. A follow-up falls due with a change in casualties, which
        the record cannot date, and an amendment corrects a report rather than falling due."""
        if self.amends_id:
            return None
        if self.stage == Stage.INITIAL:
            return self.incident.initial_due_at
        if self.stage == Stage.FINAL:
            return self.incident.followup_window_ends_at
        return None

    @property
    def late_by(self) -> datetime.timedelta | None:
        due = self.due_at
        if due is None or self.submitted_at <= due:
            return None
        return self.submitted_at - due

    def narrative(self) -> list[tuple[str, object]]:
        """(label, value) of the stage's own fields, then the figures, for pages and the PDF."""
        names = [*STAGE_FIELDS[Stage(self.stage)], *FIGURES]
        return [(self._meta.get_field(n).verbose_name, getattr(self, n)) for n in names]


class PoliceRecord(models.Model):
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

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("police record")
        verbose_name_plural = gettext_lazy("police records")
        ordering = ["reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.police_station} · {self.case_number}"


class Alert(models.Model):
    """An incident report brought to an organisation's attention; read once by anyone there."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    report = models.ForeignKey(
        Report,
        verbose_name=pgettext_lazy("incident", "report"),
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    recipient = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("recipient"),
        on_delete=models.PROTECT,
        related_name="incident_alerts",
    )
    created_at = models.DateTimeField(gettext_lazy("sent at"))
    read_at = models.DateTimeField(gettext_lazy("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("read by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mailed_at = models.DateTimeField(gettext_lazy("mailed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("incident alert")
        verbose_name_plural = gettext_lazy("incident alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recipient"], name="incidents_alert_once_per_report"
            ),
            models.CheckConstraint(
                condition=Q(read_at__isnull=True) | Q(read_by__isnull=False),
                name="incidents_alert_read_has_reader",
            ),
        ]
        indexes = [
            # The alert page and the unread count: an organisation's alerts, newest first.
            models.Index(fields=["recipient", "read_at"], name="incidents_alert_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.report}"


class Note(models.Model):
    """Staff acknowledgement or comment on an incident."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "ack", gettext_lazy("Acknowledged")
        COMMENT = "comment", gettext_lazy("Comment")
        CLOSURE = "closure", pgettext_lazy("incident", "Closed")

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="notes",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=8, choices=Kind.choices)
    text = models.TextField(gettext_lazy("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("at"))

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("staff note")
        verbose_name_plural = gettext_lazy("staff notes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="comment") | ~Q(text=""), name="incidents_note_comment_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.author}"
