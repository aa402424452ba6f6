"""The institution registry: institutions, their qualification documents, custody agreements
and placements (DOMAIN §1)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.models import Regulated
from audit_portal.core.validators import validate_credit_code
from audit_portal.rules import rules
from inspections.dates import add_years, full_months_between


class ResidentCategory(models.TextChoices):
    """Classified custody (分类托养)."""

    ELDERLY = "elderly", gettext_lazy("Elderly")
    MINORS = "minors", gettext_lazy("Minors")
    DISABLED = "disabled", pgettext_lazy("resident category", "Disabled")
    MENTAL_ILLNESS = "mental_illness", gettext_lazy("Mental illness")


class DocumentKind(models.TextChoices):
    """One document per qualification condition of DOMAIN §1."""

    LEGAL_PERSON = "legal_person", gettext_lazy("Legal-person certificate")
    SERVICE_QUALIFICATION = "service_qualification", gettext_lazy("Service qualification")
    FIXED_SITE = "fixed_site", gettext_lazy("Fixed service site")
    FOOD_LICENCE = "food_licence", gettext_lazy("Food business licence")
    FIRE_SAFETY = "fire_safety", gettext_lazy("Fire-protection acceptance or filing")
    RULES_MANAGEMENT = "rules_management", gettext_lazy("Internal rules: management")
    RULES_FINANCE = "rules_finance", gettext_lazy("Internal rules: finance and accounting")
    RULES_EMERGENCY = "rules_emergency", gettext_lazy("Internal rules: emergency handling")
    RULES_REPORTING = "rules_reporting", gettext_lazy("Internal rules: information reporting")


# Documents whose expiry date is part of what makes them valid.
DOCUMENTS_WITH_EXPIRY = {DocumentKind.FOOD_LICENCE}

# The order the checklist shows the conditions in; "operation" is the one-year rule.
CONDITION_ORDER = [
    DocumentKind.LEGAL_PERSON,
    DocumentKind.SERVICE_QUALIFICATION,
    DocumentKind.FIXED_SITE,
    "operation",
    DocumentKind.FOOD_LICENCE,
    DocumentKind.FIRE_SAFETY,
    DocumentKind.RULES_MANAGEMENT,
    DocumentKind.RULES_FINANCE,
    DocumentKind.RULES_EMERGENCY,
    DocumentKind.RULES_REPORTING,
]


@dataclass(frozen=True)
class ConditionCheck:
    key: str
    label: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Eligibility:
    on: datetime.date
    checks: tuple[ConditionCheck, ...]

    @property
    def eligible(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failing(self) -> list[ConditionCheck]:
        return [check for check in self.checks if not check.ok]

    def summary(self) -> str:
        return "；".join(f"{check.label}：{check.detail}" for check in self.failing)


def _day(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


class Institution(Regulated):
    class Kind(models.TextChoices):
        SOCIAL_WELFARE = "social_welfare", gettext_lazy("Social welfare institution")
        ELDERLY_CARE = "elderly_care", gettext_lazy("Elderly care institution")
        PSYCHIATRIC = "psychiatric", gettext_lazy("Psychiatric rehabilitation institution")
        OTHER = "other", gettext_lazy("Other social-service unit")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", gettext_lazy("Candidate")
        APPROVED = "approved", gettext_lazy("Approved")
        SUSPENDED = "suspended", gettext_lazy("Suspended")
        TERMINATED = "terminated", gettext_lazy("Terminated")

    name = models.CharField(gettext_lazy("name"), max_length=120)
    credit_code = models.CharField(
        gettext_lazy("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=Kind.choices)
    legal_representative = models.CharField(gettext_lazy("legal representative"), max_length=60)
    address = models.CharField(gettext_lazy("address"), max_length=200)
    county = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("county bureau"),
        on_delete=models.PROTECT,
        related_name="institutions",
        limit_choices_to={"kind": "county"},
    )
    bed_capacity = models.PositiveIntegerField(gettext_lazy("bed capacity"))
    operation_started_on = models.DateField(gettext_lazy("operation start date"))
    contact_person = models.CharField(gettext_lazy("contact person"), max_length=60)
    contact_phone = models.CharField(gettext_lazy("contact phone"), max_length=40)
    # 定点联系: the civil-affairs staff member who follows the institution; incident alerts and
    # the incident page name them.
    designated_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("designated civil-affairs contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"role": "staff", "is_active": True},
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=12, choices=Status.choices, default=Status.CANDIDATE
    )
    status_changed_at = models.DateTimeField(
        gettext_lazy("status changed at"), null=True, blank=True
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("custody institution")
        verbose_name_plural = gettext_lazy("custody institutions")
        ordering = ["name"]
        permissions = [
            ("change_institution_status", gettext_lazy("Can change an institution's status")),
            ("verify_document", gettext_lazy("Can verify qualification documents")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(bed_capacity__gt=0), name="inspections_institution_beds_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.county_id and self.county.kind != "county":
            raise ValidationError({"county": _("Choose a county/district civil-affairs bureau.")})
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.designated_contact_id and self.county_id:
            contact = self.designated_contact
            if contact.organisation_id not in (self.county_id, self.county.parent_id):
                raise ValidationError(
                    {
                        "designated_contact": _(
                            "Choose a staff member of the institution's county bureau or of "
                            "the city bureau."
                        )
                    }
                )

    @property
    def operation_anniversary(self) -> datetime.date:
        return add_years(self.operation_started_on, rules().min_operation_years)

    def eligibility(
        self, on: datetime.date, documents: list["QualificationDocument"] | None = None
    ) -> Eligibility:
        """Whether the institution meets every condition of DOMAIN §1 on ``on``, and why not.

        ``documents`` may be passed pre-fetched (lists); otherwise they are read here.
        """
        if documents is None:
            documents = list(self.documents.all())
        checks = []
        for key in CONDITION_ORDER:
            if key == "operation":
                checks.append(self._operation_check(on))
            else:
                kind = DocumentKind(key)
                checks.append(_document_check(kind, [d for d in documents if d.kind == kind], on))
        return Eligibility(on=on, checks=tuple(checks))

    def _operation_check(self, on: datetime.date) -> ConditionCheck:
        years = rules().min_operation_years
        # The policy's "one year" reads as a word (一年); an area's longer period in figures.
        if years == 1:
            label = _("In normal operation for one year or more")
        else:
            label = _("In normal operation for %(years)d years or more") % {"years": years}
        anniversary = self.operation_anniversary
        if on >= anniversary:
            return ConditionCheck(
                "operation",
                label,
                True,
                _("operating since %(start)s") % {"start": _day(self.operation_started_on)},
            )
        if on < self.operation_started_on:
            detail = _("not yet operating (starts %(start)s)") % {
                "start": _day(self.operation_started_on)
            }
        else:
            values = {
                "months": full_months_between(self.operation_started_on, on),
                "date": _day(anniversary),
                "years": years,
            }
            if years == 1:
                text = _("operating for %(months)d months, until %(date)s")
            else:
                text = _("operating for %(months)d months, until %(date)s (%(years)d years)")
            detail = text % values
        return ConditionCheck("operation", label, False, detail)


def _document_check(
    kind: DocumentKind, documents: list["QualificationDocument"], on: datetime.date
) -> ConditionCheck:
    label = kind.label
    verified = [d for d in documents if d.status == QualificationDocument.Status.VERIFIED]
    valid = [d for d in verified if d.is_valid_on(on)]
    if valid:
        best = max(valid, key=lambda d: d.valid_until or datetime.date.max)
        detail = _("No. %(number)s") % {"number": best.number}
        if best.valid_until:
            detail += _(", valid until %(date)s") % {"date": _day(best.valid_until)}
        return ConditionCheck(kind, label, True, str(detail))
    pending = any(d.status == QualificationDocument.Status.PENDING for d in documents)
    expired = [d for d in verified if d.valid_until and d.valid_until < on]
    future = [d for d in verified if d.valid_from > on]
    if not documents:
        detail = _("missing")
    elif expired:
        detail = _("expired on %(date)s") % {"date": _day(max(d.valid_until for d in expired))}
        if pending:
            detail += _(" (a renewal awaits verification)")
    elif future:
        detail = _("valid only from %(date)s") % {"date": _day(min(d.valid_from for d in future))}
    elif pending:
        detail = _("not yet verified")
    else:
        latest = max(documents, key=lambda d: d.submitted_at)
        detail = _("rejected: %(reason)s") % {"reason": latest.rejection_reason}
    return ConditionCheck(kind, label, False, str(detail))


class QualificationDocument(Regulated):
    """A document backing one qualification condition. Renewals are new rows that point to the
    document they replace; nothing is overwritten."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting verification")
        VERIFIED = "verified", gettext_lazy("Verified")
        REJECTED = "rejected", gettext_lazy("Rejected")

    institution = models.ForeignKey(
        Institution,
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(gettext_lazy("document"), max_length=24, choices=DocumentKind.choices)
    number = models.CharField(gettext_lazy("document number"), max_length=60)
    issuer = models.CharField(gettext_lazy("issued by"), max_length=120)
    valid_from = models.DateField(gettext_lazy("valid from"))
    valid_until = models.DateField(
        gettext_lazy("valid until"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Leave empty if the document does not expire."),
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("renewal of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
    )
    status = models.CharField(
        gettext_lazy("verification"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(gettext_lazy("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(gettext_lazy("reason for rejection"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("qualification document")
        verbose_name_plural = gettext_lazy("qualification documents")
        ordering = ["institution", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="inspections_document_valid_range",
            ),
            # A rejection always says why; a review always says who.
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="inspections_document_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_by__isnull=False),
                name="inspections_document_review_has_reviewer",
            ),
        ]
        indexes = [
            # Serves the eligibility and expiry queries: verified documents of a kind by date.
            models.Index(
                fields=["institution", "kind", "status", "valid_until"],
                name="inspections_doc_validity_idx",
            ),
            # The daily reminders: verified documents lapsing in a window of days, every
            # institution at once.
            models.Index(
                fields=["valid_until"],
                condition=Q(status="verified"),
                name="inspections_doc_lapsing_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        if self.kind in DOCUMENTS_WITH_EXPIRY and not self.valid_until:
            raise ValidationError({"valid_until": _("This document has an expiry date: enter it.")})
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The expiry date is before the start date.")})
        if self.replaces_id and (
            self.replaces.kind != self.kind or self.replaces.institution_id != self.institution_id
        ):
            raise ValidationError(_("A renewal replaces a document of the same kind."))

    def is_valid_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or self.valid_until >= on)

    def days_left(self, on: datetime.date) -> int | None:
        return None if self.valid_until is None else (self.valid_until - on).days


class CustodyAgreement(Regulated):
    """托养协议 between a rescue station and an institution."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        ACTIVE = "active", gettext_lazy("Active")
        SUSPENDED = "suspended", gettext_lazy("Suspended")
        ENDED = "ended", gettext_lazy("Ended")

    number = models.CharField(gettext_lazy("agreement number"), max_length=60, unique=True)
    station = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("rescue station"),
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"kind": "station"},
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    starts_on = models.DateField(gettext_lazy("term starts"))
    ends_on = models.DateField(gettext_lazy("term ends"))
    agreed_places = models.PositiveIntegerField(gettext_lazy("agreed places"))
    categories = models.JSONField(gettext_lazy("resident categories accepted"), default=list)
    fee_basis = models.CharField(gettext_lazy("fee basis"), max_length=200)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    activated_at = models.DateTimeField(gettext_lazy("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("activated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("custody agreement")
        verbose_name_plural = gettext_lazy("custody agreements")
        ordering = ["-starts_on"]
        permissions = [("activate_custodyagreement", gettext_lazy("Can activate agreements"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="inspections_agreement_term_order",
            ),
            models.CheckConstraint(
                condition=Q(agreed_places__gt=0), name="inspections_agreement_places_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.station} → {self.institution}）"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The term ends before it starts.")})
        unknown = set(self.categories or []) - set(ResidentCategory.values)
        if unknown or not self.categories:
            raise ValidationError({"categories": _("Choose at least one resident category.")})
        if self.station_id and self.station.kind != "station":
            raise ValidationError({"station": _("Choose a rescue station.")})

    def covers(self, on: datetime.date) -> bool:
        return self.starts_on <= on <= self.ends_on

    def category_labels(self) -> list[str]:
        return [ResidentCategory(value).label for value in self.categories]


class Placement(Regulated):
    """Residents placed under an agreement on a date (counts only: no resident is identified)."""

    agreement = models.ForeignKey(
        CustodyAgreement,
        verbose_name=gettext_lazy("custody agreement"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    starts_on = models.DateField(gettext_lazy("placement starts"))
    people = models.PositiveIntegerField(gettext_lazy("number of residents"))
    category = models.CharField(
        gettext_lazy("category"), max_length=20, choices=ResidentCategory.choices
    )
    note = models.CharField(gettext_lazy("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("placement")
        verbose_name_plural = gettext_lazy("placements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(people__gt=0), name="inspections_placement_people_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} · {self.starts_on} · {self.people}"
