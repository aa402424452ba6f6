"""The invited-supervisor scheme (DOMAIN §4): supervisors, their appointment procedure and
terms, supervision groups and their assignments to institutions, and their activity.

Counting (DOMAIN "Counting", Civil Code arts. 201–202): a five-year term appointed on
2021-03-01 starts that day and *reaches its end* (届满) on 2026-03-01, the corresponding day of
the fifth year, which still belongs to the term; from 2026-03-02 the supervisor has no access.
An early end (resignation, dismissal) takes effect on ``terminated_on``: no access from that day.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from audit_portal.core.validators import validate_id_number
from audit_portal.rules import rules
from inspections.dates import add_years


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in full years (周岁) on ``day``: the birthday itself completes the year."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    if birth_date.month == 2 and birth_date.day == 29 and day.month == 2 and day.day == 28:
        # Born on 29 February: in a common year the year completes on 28 February (as add_years).
        had_birthday = day.year % 4 != 0 or (day.year % 100 == 0 and day.year % 400 != 0)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def mask_id_number(value: str) -> str:
    """``320102198001011234`` → ``3201**********1234``: region prefix and last four only."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


class Supervisor(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", gettext_lazy("Male")
        FEMALE = "female", gettext_lazy("Female")

    full_name = models.CharField(pgettext_lazy("supervisors", "name"), max_length=60)
    gender = models.CharField(gettext_lazy("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(gettext_lazy("date of birth"))
    id_number = models.CharField(
        gettext_lazy("resident ID number"),
        max_length=18,
        unique=True,
        validators=[validate_id_number],
    )
    employer = models.CharField(gettext_lazy("employer"), max_length=120)
    title = models.CharField(gettext_lazy("title"), max_length=60, blank=True)
    expertise = models.CharField(gettext_lazy("expertise"), max_length=200, blank=True)
    phone = models.CharField(pgettext_lazy("supervisors", "phone"), max_length=40)
    email = models.EmailField(gettext_lazy("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisor_record",
        limit_choices_to={"role": "supervisor"},
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("invited supervisor")
        verbose_name_plural = gettext_lazy("invited supervisors")
        ordering = ["full_name"]
        permissions = [
            ("view_full_id_number", gettext_lazy("Can view full resident ID numbers")),
            ("run_appointments", gettext_lazy("Can run the appointment procedure")),
            (
                "override_term_limit",
                gettext_lazy("Can override the consecutive-term limit"),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.id_number:
            self.id_number = self.id_number.strip().upper()
        if self.user_id and self.user.role != "supervisor":
            raise ValidationError({"user": _("Choose an account with the supervisor role.")})
        if self.id_number and self.birth_date and len(self.id_number) == 18:
            encoded = self.id_number[6:14]
            if encoded != self.birth_date.strftime("%Y%m%d"):
                raise ValidationError(
                    {"birth_date": _("The date of birth does not match the ID number.")}
                )

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)

    def term_on(self, day: datetime.date) -> "Term | None":
        return self.terms.filter(Term.active_q(day)).order_by("-starts_on").first()


class IdNumberView(models.Model):
    """Every display of a full ID number: who saw whose, and when."""

    supervisor = models.ForeignKey(
        Supervisor, verbose_name=gettext_lazy("supervisor"), on_delete=models.PROTECT
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("viewer"), on_delete=models.PROTECT
    )
    viewed_at = models.DateTimeField(gettext_lazy("viewed at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("ID number view")
        verbose_name_plural = gettext_lazy("ID number views")
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.supervisor} @ {self.viewed_at:%Y-%m-%d %H:%M}"


class Appointment(models.Model):
    """One run of the appointment procedure for one candidate, step by step (DOMAIN §4)."""

    class Stage(models.TextChoices):
        NOMINATED = "nominated", gettext_lazy("Nominated")
        VETTED = "vetted", gettext_lazy("Vetted")
        DECIDED = "decided", gettext_lazy("Decided by the joint meeting")
        FILED = "filed", gettext_lazy("Appointed and filed")
        TURNED_DOWN = "turned_down", gettext_lazy("Turned down")

    supervisor = models.ForeignKey(
        Supervisor,
        verbose_name=gettext_lazy("supervisor"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    stage = models.CharField(
        gettext_lazy("stage"), max_length=12, choices=Stage.choices, default=Stage.NOMINATED
    )
    invited_on = models.DateField(gettext_lazy("invitation date"))
    nomination_note = models.TextField(gettext_lazy("nomination note"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(gettext_lazy("nominated at"), default=timezone.now)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    vetted_at = models.DateTimeField(gettext_lazy("vetted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(gettext_lazy("decision recorded at"), null=True, blank=True)
    meeting_date = models.DateField(gettext_lazy("joint meeting date"), null=True, blank=True)
    minutes_reference = models.CharField(
        gettext_lazy("minutes reference"), max_length=80, blank=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    filed_at = models.DateTimeField(gettext_lazy("filed at"), null=True, blank=True)
    employer_notified_on = models.DateField(
        gettext_lazy("employer notified on"), null=True, blank=True
    )
    filing_number = models.CharField(gettext_lazy("filing number"), max_length=80, blank=True)
    turned_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    turned_down_at = models.DateTimeField(gettext_lazy("turned down at"), null=True, blank=True)
    turned_down_at_stage = models.CharField(
        gettext_lazy("turned down at stage"), max_length=12, choices=Stage.choices, blank=True
    )
    turn_down_reason = models.TextField(gettext_lazy("reason for turning down"), blank=True)
    term_limit_override_reason = models.TextField(
        gettext_lazy("term-limit override reason"), blank=True
    )
    term_limit_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("appointment procedure")
        verbose_name_plural = gettext_lazy("appointment procedures")
        ordering = ["-nominated_at"]
        constraints = [
            # One procedure in progress per candidate: the pipeline shows one row per person.
            models.UniqueConstraint(
                fields=["supervisor"],
                condition=Q(stage__in=["nominated", "vetted", "decided"]),
                name="supervisors_appointment_one_open_per_supervisor",
            ),
            models.CheckConstraint(
                condition=~Q(stage="turned_down") | ~Q(turn_down_reason=""),
                name="supervisors_appointment_turn_down_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s, invited %(date)s") % {
            "name": self.supervisor,
            "date": self.invited_on.isoformat(),
        }

    @property
    def is_open(self) -> bool:
        return self.stage in (self.Stage.NOMINATED, self.Stage.VETTED, self.Stage.DECIDED)

    @property
    def next_step(self) -> str | None:
        return {
            self.Stage.NOMINATED: "vet",
            self.Stage.VETTED: "decide",
            self.Stage.DECIDED: "file",
        }.get(self.stage)


class VettingFinding(models.Model):
    """One condition of DOMAIN §4 as the vetting (考察) found it."""

    class Condition(models.TextChoices):
        CONSTITUTION = "constitution", gettext_lazy("Upholds the Constitution")
        LAW_ABIDING = "law_abiding", gettext_lazy("Abides by the law")
        SUPPORTS_WORK = "supports_work", gettext_lazy("Supports the rescue and custody work")
        EXPERTISE = "expertise", gettext_lazy("Has relevant expertise")
        FAIR = "fair", gettext_lazy("Fair and honest")
        HEALTHY = "healthy", gettext_lazy("In good health")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="findings")
    condition = models.CharField(
        gettext_lazy("condition"), max_length=16, choices=Condition.choices
    )
    met = models.BooleanField(gettext_lazy("met"))
    note = models.TextField(gettext_lazy("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("vetting finding")
        verbose_name_plural = gettext_lazy("vetting findings")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "condition"],
                name="supervisors_vettingfinding_one_per_condition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_condition_display()}: {'✓' if self.met else '✗'}"


class Term(models.Model):
    class EndKind(models.TextChoices):
        RESIGNATION = "resignation", gettext_lazy("Resignation")
        DISMISSAL = "dismissal", gettext_lazy("Dismissal")

    supervisor = models.ForeignKey(
        Supervisor,
        verbose_name=gettext_lazy("supervisor"),
        on_delete=models.PROTECT,
        related_name="terms",
    )
    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="term", null=True, blank=True
    )
    number = models.PositiveSmallIntegerField(gettext_lazy("term number"))
    consecutive_number = models.PositiveSmallIntegerField(
        gettext_lazy("consecutive term number"), default=1
    )
    starts_on = models.DateField(gettext_lazy("appointment date"))
    last_day = models.DateField(gettext_lazy("term ends on"))
    terminated_on = models.DateField(gettext_lazy("ended early on"), null=True, blank=True)
    end_kind = models.CharField(
        gettext_lazy("early end"), max_length=12, choices=EndKind.choices, blank=True
    )
    end_reason = models.TextField(gettext_lazy("reason for early end"), blank=True)
    undertaking_accepted_at = models.DateTimeField(
        gettext_lazy("confidentiality undertaking accepted at"), null=True, blank=True
    )
    undertaking_version = models.CharField(
        gettext_lazy("undertaking version"), max_length=20, blank=True
    )

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("term")
        verbose_name_plural = gettext_lazy("terms")
        ordering = ["supervisor", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "number"], name="supervisors_term_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("starts_on")),
                name="supervisors_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | ~Q(end_reason=""),
                name="supervisors_term_early_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s, term %(number)d (%(start)s – %(end)s)") % {
            "name": self.supervisor,
            "number": self.number,
            "start": self.starts_on.isoformat(),
            "end": self.effective_last_day.isoformat(),
        }

    @staticmethod
    def last_day_for(starts_on: datetime.date) -> datetime.date:
        """The day the term reaches its end (届满, included): the same day five years later."""
        return add_years(starts_on, rules().supervisor_term_years)

    @staticmethod
    def active_q(day: datetime.date, prefix: str = "") -> Q:
        """Terms running on ``day``, as a filter (``prefix`` for lookups through a relation)."""
        return Q(**{f"{prefix}starts_on__lte": day, f"{prefix}last_day__gte": day}) & (
            Q(**{f"{prefix}terminated_on__isnull": True}) | Q(**{f"{prefix}terminated_on__gt": day})
        )

    @property
    def effective_last_day(self) -> datetime.date:
        if self.terminated_on:
            return min(self.last_day, self.terminated_on - datetime.timedelta(days=1))
        return self.last_day

    def is_active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.effective_last_day

    def days_left(self, day: datetime.date) -> int:
        return (self.effective_last_day - day).days


class SupervisionGroup(models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", gettext_lazy("Forming")
        ACTIVE = "active", pgettext_lazy("supervisors", "Active")
        DISSOLVED = "dissolved", gettext_lazy("Dissolved")

    name = models.CharField(gettext_lazy("name"), max_length=80, unique=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.FORMING
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("supervision group")
        verbose_name_plural = gettext_lazy("supervision groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_memberships(self):
        return self.memberships.filter(left_on__isnull=True).select_related("supervisor")

    def composition_problems(self, on: datetime.date) -> list[str]:
        """What stands between this group and activation; empty when it may be active."""
        members = list(self.current_memberships())
        low, high = rules().supervisor_group_min, rules().supervisor_group_max
        problems = []
        if not low <= len(members) <= high:
            problems.append(
                _("A group has %(low)d to %(high)d members; this one has %(n)d.")
                % {"low": low, "high": high, "n": len(members)}
            )
        for role, label in (
            (GroupMembership.Role.LEADER, _("leader")),
            (GroupMembership.Role.DEPUTY, _("deputy leader")),
        ):
            count = sum(1 for m in members if m.role == role)
            if count != 1:
                problems.append(
                    _("A group needs exactly one %(role)s; this one has %(n)d.")
                    % {"role": label, "n": count}
                )
        active = set(
            Term.objects.filter(
                Term.active_q(on), supervisor__in=[m.supervisor for m in members]
            ).values_list("supervisor_id", flat=True)
        )
        for membership in members:
            if membership.supervisor_id not in active:
                problems.append(
                    _("%(name)s has no term running today.") % {"name": membership.supervisor}
                )
        return problems


class GroupMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", gettext_lazy("Leader")
        DEPUTY = "deputy", gettext_lazy("Deputy leader")
        MEMBER = "member", gettext_lazy("Member")

    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.PROTECT, related_name="memberships"
    )
    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        pgettext_lazy("supervisors", "role"), max_length=8, choices=Role.choices
    )
    joined_on = models.DateField(gettext_lazy("joined on"))
    left_on = models.DateField(gettext_lazy("left on"), null=True, blank=True)

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("group membership")
        verbose_name_plural = gettext_lazy("group memberships")
        ordering = ["group", "role", "supervisor__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "supervisor"],
                condition=Q(left_on__isnull=True),
                name="supervisors_groupmembership_once_per_group",
            ),
            # Exactly one leader and one deputy: "at most one" is the database's part, "at
            # least one" is checked on activation (composition_problems).
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(left_on__isnull=True, role="leader"),
                name="supervisors_groupmembership_one_leader",
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(left_on__isnull=True, role="deputy"),
                name="supervisors_groupmembership_one_deputy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.supervisor} ({self.get_role_display()})"


class Assignment(models.Model):
    """A group assigned to supervise an institution; grants its members object permissions."""

    group = models.ForeignKey(
        SupervisionGroup,
        verbose_name=pgettext_lazy("supervisors", "group"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="supervisor_assignments",
    )
    starts_on = models.DateField(gettext_lazy("from"))
    ends_on = models.DateField(gettext_lazy("until"), null=True, blank=True)
    end_reason = models.TextField(gettext_lazy("reason for ending"), blank=True)

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("group assignment")
        verbose_name_plural = gettext_lazy("group assignments")
        ordering = ["institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "institution"],
                condition=Q(ends_on__isnull=True),
                name="supervisors_assignment_once_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.institution}"

    @staticmethod
    def active_q(day: datetime.date, prefix: str = "") -> Q:
        return Q(**{f"{prefix}starts_on__lte": day}) & (
            Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
        )


class Event(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", gettext_lazy("Training")
        SYMPOSIUM = "symposium", gettext_lazy("Symposium")

    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(gettext_lazy("title"), max_length=120)
    held_on = models.DateField(gettext_lazy("held on"))
    place = models.CharField(gettext_lazy("place"), max_length=120, blank=True)
    attendees = models.ManyToManyField(
        Supervisor, verbose_name=gettext_lazy("attendees"), related_name="events", blank=True
    )

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = gettext_lazy("training or symposium")
        verbose_name_plural = gettext_lazy("trainings and symposiums")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Complaint(models.Model):
    """A complaint from the public that a supervisor forwards to civil affairs."""

    class Status(models.TextChoices):
        FORWARDED = "forwarded", gettext_lazy("Forwarded")
        HANDLING = "handling", gettext_lazy("Being handled")
        CLOSED = "closed", gettext_lazy("Handled and closed")

    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="complaints")
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_on = models.DateField(gettext_lazy("received on"))
    summary = models.TextField(pgettext_lazy("supervisors", "summary"))
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.FORWARDED
    )
    handling_note = models.TextField(gettext_lazy("handling"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("forwarded at"), default=timezone.now)

    history = HistoricalRecords()
    REASON_REQUIRED = True

    class Meta:
        verbose_name = gettext_lazy("forwarded complaint")
        verbose_name_plural = gettext_lazy("forwarded complaints")
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} {self.summary[:30]}"


class Suggestion(models.Model):
    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="suggestions")
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    made_on = models.DateField(gettext_lazy("made on"))
    text = models.TextField(gettext_lazy("suggestion"))
    response = models.TextField(gettext_lazy("response"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("suggestion")
        verbose_name_plural = gettext_lazy("suggestions")
        ordering = ["-made_on"]

    def __str__(self) -> str:
        return f"{self.made_on:%Y-%m-%d} {self.text[:30]}"
