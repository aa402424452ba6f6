"""The open day (DOMAIN §6, 19 June): the public summary of a year and its versions, visits
registered by the public, and the public's complaints and suggestions.

A summary's figures are computed from the records while it is a draft and frozen from approval
on: what the public reads is the snapshot stored here, never a live query. A correction is a
new version that replaces the published one, which stays readable and marked as replaced.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.models import Regulated
from audit_portal.rules import rules


def open_day(year: int) -> datetime.date:
    return datetime.date(year, rules().open_day_month, rules().open_day_day)


def coming_open_day_year(on: datetime.date) -> int:
    """The year of the next open day on or after ``on``: after 19 June, next year's."""
    return on.year if on <= open_day(on.year) else on.year + 1


# The area figures by name, for the history (audit_portal/core/history_view.py): a corrected
# figure reads "area figures · Beds: 400 → 460", not as two dictionaries.
AREA_FIGURE_LABELS = {
    "beds": gettext_lazy("Beds"),
    "agreed_places": gettext_lazy("Agreed places under custody agreements"),
    "residents_placed": gettext_lazy("Residents placed in the period"),
    "residents_admitted": gettext_lazy("Residents admitted in the period (monthly reports)"),
    "residents_in_care": gettext_lazy(
        "Residents in care at the end of the period (monthly reports)"
    ),
    "inspections": gettext_lazy("Inspections held"),
    "issues": gettext_lazy("Issues found"),
    "rectified": gettext_lazy("Rectified"),
    "rectified_on_time": gettext_lazy("Rectified on time"),
    "incidents": gettext_lazy("Incidents"),
    "deaths": gettext_lazy("Deaths"),
    "supervisor_visits": gettext_lazy("Supervisor visits"),
    "supervisor_issues": gettext_lazy("Issues raised by supervisors"),
    "complaints_forwarded": gettext_lazy("Public complaints forwarded by supervisors"),
    "suggestions": gettext_lazy("Suggestions made by supervisors"),
    "institutions": gettext_lazy("Custody institutions"),
    "supervisors": gettext_lazy("Invited supervisors serving in the period"),
}


class Summary(Regulated):
    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        APPROVED = "approved", pgettext_lazy("open day", "Approved")
        PUBLISHED = "published", gettext_lazy("Published")
        REPLACED = "replaced", gettext_lazy("Replaced by a correction")

    # What the public may read.
    PUBLIC = (Status.PUBLISHED, Status.REPLACED)
    history_json_labels = {"area": AREA_FIGURE_LABELS}

    year = models.PositiveSmallIntegerField(gettext_lazy("open-day year"))
    version = models.PositiveSmallIntegerField(gettext_lazy("version"), default=1)
    period_start = models.DateField(gettext_lazy("period from"))
    period_end = models.DateField(gettext_lazy("period until"))
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=gettext_lazy("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    correction_reason = models.TextField(gettext_lazy("reason for the correction"), blank=True)
    # The area's figures (see ``figures.py``) and the small-count threshold in force when they
    # were computed: both are part of the frozen snapshot.
    area = models.JSONField(gettext_lazy("area figures"), default=dict, blank=True)
    small_count_threshold = models.PositiveSmallIntegerField(
        gettext_lazy("counts below this are shown as “fewer than”")
    )
    generated_at = models.DateTimeField(gettext_lazy("figures computed at"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(gettext_lazy("drafted at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(gettext_lazy("approved at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(gettext_lazy("published at"), null=True, blank=True)
    replaced_at = models.DateTimeField(gettext_lazy("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("open-day summary")
        verbose_name_plural = gettext_lazy("open-day summaries")
        ordering = ["-year", "-version"]
        permissions = [
            ("approve_summary", gettext_lazy("Can approve open-day summaries")),
            ("publish_summary", gettext_lazy("Can publish open-day summaries")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="openday_summary_version"),
            # The public pages of a year read its one published version.
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status="published"),
                name="openday_summary_one_published",
            ),
            # One version in preparation per year at a time.
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status__in=["draft", "approved"]),
                name="openday_summary_one_in_preparation",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="openday_summary_period_order"
            ),
            # The two-person rule: whoever drafted it cannot approve it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("drafted_by")),
                name="openday_summary_approver_not_drafter",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="openday_summary_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved"]) | Q(published_at__isnull=False),
                name="openday_summary_published_has_time",
            ),
            # A first version corrects nothing; a correction always says what and why.
            models.CheckConstraint(
                condition=Q(version=1, replaces__isnull=True, correction_reason="")
                | (Q(version__gt=1, replaces__isnull=False) & ~Q(correction_reason="")),
                name="openday_summary_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · v{self.version} · {self.get_status_display()}"

    @property
    def open_day(self) -> datetime.date:
        return open_day(self.year)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class SummaryEntry(Regulated):
    """One institution's part of a summary: its figures and the staff's short narrative. The
    name and county are copied so a later rename does not change a published page."""

    summary = models.ForeignKey(
        Summary,
        verbose_name=pgettext_lazy("open day", "summary"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(gettext_lazy("name"), max_length=120)
    county_name = models.CharField(gettext_lazy("county bureau"), max_length=120)
    kind = models.CharField(gettext_lazy("kind"), max_length=40)
    address = models.CharField(gettext_lazy("address"), max_length=200)
    figures = models.JSONField(gettext_lazy("figures"), default=dict, blank=True)
    narrative = models.TextField(gettext_lazy("narrative"), max_length=1000, blank=True)

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("institution in a summary")
        verbose_name_plural = gettext_lazy("institutions in a summary")
        ordering = ["summary", "county_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["summary", "institution"], name="openday_summaryentry_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.summary} · {self.name}"


class VisitDay(Regulated):
    """An institution's visits on the open day of a year: how many people it can receive."""

    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="visit_days",
    )
    year = models.PositiveSmallIntegerField(gettext_lazy("open-day year"))
    capacity = models.PositiveIntegerField(gettext_lazy("visitors it can receive"))
    hours = models.CharField(gettext_lazy("opening hours"), max_length=60)
    meeting_point = models.CharField(gettext_lazy("where visitors gather"), max_length=120)
    registration_open = models.BooleanField(gettext_lazy("registration open"), default=True)

    class Meta:
        verbose_name = gettext_lazy("open-day visits")
        verbose_name_plural = gettext_lazy("open-day visits")
        ordering = ["-year", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="openday_visitday_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.institution}"

    @property
    def date(self) -> datetime.date:
        return open_day(self.year)


class Registration(Regulated):
    """A member of the public registered to visit. The name and phone are for staff only."""

    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("Registered")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    visit_day = models.ForeignKey(
        VisitDay,
        verbose_name=gettext_lazy("visits"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    # Copied from the visit day so the database can bound a phone number's registrations in a
    # year across institutions (the phone_slot constraint below).
    year = models.PositiveSmallIntegerField(gettext_lazy("open-day year"))
    name = models.CharField(gettext_lazy("visitor's name"), max_length=40)
    phone = models.CharField(gettext_lazy("mobile phone"), max_length=11)
    party_size = models.PositiveSmallIntegerField(gettext_lazy("people in the party"))
    # Which of the phone's allowed registrations of the year this is (1..limit); two requests
    # racing for the same slot collide on the unique constraint instead of both passing.
    phone_slot = models.PositiveSmallIntegerField()
    code = models.CharField(gettext_lazy("confirmation code"), max_length=12, unique=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(gettext_lazy("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(gettext_lazy("cancelled at"), null=True, blank=True)

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("visit registration")
        verbose_name_plural = gettext_lazy("visit registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "phone", "phone_slot"],
                condition=Q(status="active"),
                name="openday_registration_phone_slot",
            ),
            models.UniqueConstraint(
                fields=["visit_day", "phone"],
                condition=Q(status="active"),
                name="openday_registration_once_per_visit",
            ),
            models.CheckConstraint(
                condition=Q(party_size__gte=1), name="openday_registration_party_positive"
            ),
            models.CheckConstraint(
                condition=Q(phone_slot__gte=1), name="openday_registration_slot_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(cancelled_at__isnull=False),
                name="openday_registration_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_day} · {self.code}"

    @property
    def is_cancellable(self) -> bool:
        """A visitor may cancel a registration once, while it stands."""
        return self.status == self.Status.ACTIVE


class PublicComplaint(Regulated):
    """A complaint or suggestion from the public about an institution, routed when it arrives
    to the institution's county bureau and to the supervision groups assigned to it."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", gettext_lazy("Complaint")
        SUGGESTION = "suggestion", gettext_lazy("Suggestion")

    class Status(models.TextChoices):
        RECEIVED = "received", gettext_lazy("Received")
        HANDLING = "handling", gettext_lazy("Being handled")
        ANSWERED = "answered", gettext_lazy("Answered")

    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="public_complaints",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(gettext_lazy("what happened or what you suggest"), max_length=2000)
    name = models.CharField(gettext_lazy("your name"), max_length=40, blank=True)
    phone = models.CharField(gettext_lazy("your phone"), max_length=20, blank=True)
    code = models.CharField(gettext_lazy("tracking code"), max_length=12, unique=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(gettext_lazy("received at"), default=timezone.now)
    # Routing, fixed on arrival.
    county = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("county bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    groups = models.ManyToManyField(
        "supervisors.SupervisionGroup",
        verbose_name=gettext_lazy("supervision groups"),
        related_name="+",
        blank=True,
    )
    forwarded_as = models.OneToOneField(
        "supervisors.Complaint",
        verbose_name=gettext_lazy("forwarded by a supervisor as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_complaint",
    )
    reply = models.TextField(gettext_lazy("reply"), blank=True)
    replied_at = models.DateTimeField(gettext_lazy("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("replied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Routing (the groups) is fixed on arrival and never edited: no many-to-many history.

    class Meta:
        verbose_name = gettext_lazy("public complaint or suggestion")
        verbose_name_plural = gettext_lazy("public complaints and suggestions")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("reply_publiccomplaint", gettext_lazy("Can reply to public complaints")),
            ("forward_publiccomplaint", gettext_lazy("Can forward public complaints")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | (Q(replied_at__isnull=False) & ~Q(reply="")),
                name="openday_publiccomplaint_answer_has_reply",
            ),
        ]
        indexes = [
            models.Index(fields=["county", "status"], name="openday_complaint_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.institution} · {self.code}"
