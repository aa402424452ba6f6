"""Inspections, their item results, the issue list and each issue's rectification thread
(DOMAIN §2: 问题清单, 整改时限, 督促整改, 签字留痕).

Nothing here is ever deleted: a rejected rectification, a refused extension and the original
deadline all stay in the record, and every change has a history row saying who and why.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from audit_portal.core.audit_chain import HistoryChain
from audit_portal.core.models import Regulated
from inspections.models.checklists import Area, ChecklistItem, ChecklistTemplate
from inspections.models.registry import CustodyAgreement, Institution


class Inspection(models.Model):
    class Kind(models.TextChoices):
        ROUTINE = "routine", gettext_lazy("Routine inspection")
        UNANNOUNCED = "unannounced", gettext_lazy("Unannounced inspection")
        CAMPAIGN = "campaign", gettext_lazy("Special campaign")
        MONTHLY_VISIT = "monthly_visit", gettext_lazy("Monthly visit by the placing station")
        SUPERVISOR_VISIT = "supervisor_visit", gettext_lazy("Supervisor visit")
        RECHECK = "recheck", gettext_lazy("Re-check")

    class Status(models.TextChoices):
        PLANNED = "planned", gettext_lazy("Planned")
        IN_PROGRESS = "in_progress", gettext_lazy("In progress")
        SUBMITTED = "submitted", gettext_lazy("Draft submitted")
        COMMENTING = "commenting", gettext_lazy("Open for the institution's comments")
        FINAL = "final", gettext_lazy("Final")

    # Statuses in which the institution sees the inspection and the issues it raised.
    SHOWN_TO_INSTITUTION = (Status.COMMENTING, Status.FINAL)

    institution = models.ForeignKey(
        Institution,
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=Kind.choices)
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=gettext_lazy("checklist"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        help_text=gettext_lazy("Monthly visits and re-checks may go without a checklist."),
    )
    # Monthly visits: the custody agreement the placing station visits under.
    agreement = models.ForeignKey(
        CustodyAgreement,
        verbose_name=gettext_lazy("custody agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    planned_on = models.DateField(gettext_lazy("planned date"))
    performed_on = models.DateField(gettext_lazy("performed on"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("team lead"),
        on_delete=models.PROTECT,
        related_name="led_inspections",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("team"),
        related_name="inspections",
        blank=True,
    )
    summary = models.TextField(gettext_lazy("summary"), blank=True)
    residents_seen = models.PositiveIntegerField(
        gettext_lazy("residents seen"), null=True, blank=True
    )
    comment_deadline = models.DateField(gettext_lazy("comments due by"), null=True, blank=True)
    institution_comment = models.TextField(gettext_lazy("institution's comments"), blank=True)
    institution_commented_at = models.DateTimeField(
        gettext_lazy("commented at"), null=True, blank=True
    )
    institution_commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("commented by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), null=True, blank=True)
    finalised_at = models.DateTimeField(gettext_lazy("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("finalised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    history = HistoricalRecords(m2m_fields=[team], bases=[HistoryChain], m2m_bases=[HistoryChain])
    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("inspection")
        verbose_name_plural = gettext_lazy("inspections")
        ordering = ["-planned_on", "-pk"]
        permissions = [
            ("finalise_inspection", gettext_lazy("Can open inspections for comments and finalise")),
        ]
        constraints = [
            # A monthly visit is made under an agreement; nothing else carries one.
            models.CheckConstraint(
                condition=Q(kind="monthly_visit", agreement__isnull=False)
                | (~Q(kind="monthly_visit") & Q(agreement__isnull=True)),
                name="inspections_inspection_agreement_iff_visit",
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(performed_on__isnull=False),
                name="inspections_inspection_performed_once_started",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "kind", "performed_on"]),
            # The inspection list in its default order (Meta.ordering): ORDER BY planned_on
            # DESC, id DESC LIMIT 25, read from the index.
            models.Index(fields=["-planned_on", "-id"], name="inspections_inspection_list"),
            # The daily reminders: reports whose comment window closes in the next days.
            models.Index(
                fields=["comment_deadline"],
                condition=Q(status="commenting"),
                name="inspections_comment_window_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.get_kind_display()} · {self.planned_on}"

    @property
    def is_locked(self) -> bool:
        """Results can no longer change once the draft is submitted."""
        return self.status not in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    @property
    def is_visit(self) -> bool:
        return self.kind == self.Kind.MONTHLY_VISIT

    def comments_open(self, on: datetime.date) -> bool:
        return (
            self.status == self.Status.COMMENTING
            and self.comment_deadline is not None
            and on <= self.comment_deadline
        )


class ItemResult(Regulated):
    class Result(models.TextChoices):
        CONFORMS = "conforms", gettext_lazy("Conforms")
        NONCONFORMING = "nonconforming", gettext_lazy("Does not conform")
        NOT_APPLICABLE = "not_applicable", gettext_lazy("Not applicable")

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=gettext_lazy("inspection"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=gettext_lazy("checklist item"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    result = models.CharField(
        gettext_lazy("result"), max_length=16, choices=Result.choices, blank=True
    )
    note = models.TextField(gettext_lazy("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(gettext_lazy("recorded at"), null=True, blank=True)

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("item result")
        verbose_name_plural = gettext_lazy("item results")
        ordering = ["item__position", "item__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], name="inspections_itemresult_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_result_display() or '—'}"


class Issue(Regulated):
    """One finding of the issue list (问题清单), followed until verified as fixed."""

    class Severity(models.TextChoices):
        GENERAL = "general", gettext_lazy("General")
        SERIOUS = "serious", gettext_lazy("Serious")
        MAJOR = "major", gettext_lazy("Major hazard")

    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("Open")
        SUBMITTED = "submitted", gettext_lazy("Rectification submitted")
        CLOSED = "closed", gettext_lazy("Closed")

    institution = models.ForeignKey(
        Institution,
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=gettext_lazy("raised in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    result = models.OneToOneField(
        ItemResult,
        verbose_name=gettext_lazy("checklist item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issue",
    )
    number = models.CharField(gettext_lazy("number"), max_length=30, unique=True)
    area = models.CharField(gettext_lazy("area"), max_length=24, choices=Area.choices)
    description = models.TextField(gettext_lazy("description"))
    severity = models.CharField(gettext_lazy("severity"), max_length=10, choices=Severity.choices)
    responsible_person = models.CharField(
        gettext_lazy("responsible person at the institution"), max_length=60
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    raised_on = models.DateField(gettext_lazy("raised on"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("raised by"),
        on_delete=models.PROTECT,
        related_name="raised_issues",
    )
    rectification_days = models.PositiveIntegerField(gettext_lazy("working days to rectify"))
    original_deadline = models.DateField(gettext_lazy("original deadline"))
    deadline = models.DateField(gettext_lazy("deadline"))
    # False when the deadline was counted without the official holiday arrangement of a year.
    deadline_official = models.BooleanField(
        gettext_lazy("counted with the official holiday arrangement"), default=True
    )
    closed_on = models.DateField(gettext_lazy("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_in = models.ForeignKey(
        Inspection,
        verbose_name=gettext_lazy("closed by re-check"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_issues",
    )

    class Meta:
        verbose_name = gettext_lazy("issue")
        verbose_name_plural = gettext_lazy("issues")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("original_deadline")),
                name="inspections_issue_deadline_only_extended",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="inspections_issue_closed_on_iff_closed",
            ),
        ]
        indexes = [
            # The ledger's default view: open issues by deadline, per institution.
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["institution", "status"]),
            # The ledger's page in its default order (Meta.ordering): ORDER BY deadline, id
            # LIMIT 25, read from the index instead of sorting every issue in scope.
            models.Index(fields=["deadline", "id"], name="inspections_issue_ledger_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:40]}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_overdue(self, on: datetime.date) -> bool:
        return not self.is_closed and on > self.deadline

    def closed_on_time(self) -> bool | None:
        if not self.is_closed:
            return None
        return self.closed_on <= self.deadline

    @property
    def extended(self) -> bool:
        return self.deadline != self.original_deadline


class Decided(Regulated):
    """A request someone decides once (a rectification, a deadline extension): who decided, when
    and why. The subclass declares ``decision`` (its ``Decision`` choices, ``pending`` first) and
    ``decision_reason``."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(gettext_lazy("decided at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.decision == "pending"

    def record_decision(self, decision: str, *, actor, reason: str = "") -> None:
        """Fill in the decision (the caller saves it, with its history reason)."""
        self.decision = decision
        self.decided_by = actor
        self.decided_at = timezone.now()
        self.decision_reason = reason.strip()


class Rectification(Decided):
    """The institution's answer to an issue: its plan and evidence, then the verdict."""

    class Decision(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting verification")
        ACCEPTED = "accepted", gettext_lazy("Accepted")
        REJECTED = "rejected", gettext_lazy("Rejected")

    issue = models.ForeignKey(
        Issue,
        verbose_name=gettext_lazy("issue"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    plan = models.TextField(gettext_lazy("what was done"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), default=timezone.now)
    decision = models.CharField(
        gettext_lazy("decision"), max_length=10, choices=Decision.choices, default="pending"
    )
    decision_reason = models.TextField(gettext_lazy("reason"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("rectification")
        verbose_name_plural = gettext_lazy("rectifications")
        ordering = ["submitted_at", "pk"]
        permissions = [("verify_rectification", gettext_lazy("Can verify rectification"))]
        constraints = [
            models.UniqueConstraint(
                fields=["issue"],
                condition=Q(decision="pending"),
                name="inspections_rectification_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(decision="rejected") | ~Q(decision_reason=""),
                name="inspections_rectification_rejection_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue.number} · {self.get_decision_display()}"


class DeadlineExtension(Decided):
    class Decision(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting approval")
        APPROVED = "approved", gettext_lazy("Approved")
        REFUSED = "refused", gettext_lazy("Refused")

    issue = models.ForeignKey(
        Issue,
        verbose_name=gettext_lazy("issue"),
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    requested_deadline = models.DateField(gettext_lazy("new deadline asked for"))
    deadline_before = models.DateField(gettext_lazy("deadline when asked"))
    reason = models.TextField(gettext_lazy("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        gettext_lazy("decision"), max_length=10, choices=Decision.choices, default="pending"
    )
    decision_reason = models.TextField(gettext_lazy("reason for the decision"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("deadline extension")
        verbose_name_plural = gettext_lazy("deadline extensions")
        ordering = ["requested_at", "pk"]
        permissions = [("decide_extension", gettext_lazy("Can approve deadline extensions"))]
        constraints = [
            models.UniqueConstraint(
                fields=["issue"],
                condition=Q(decision="pending"),
                name="inspections_deadlineextension_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(requested_deadline__gt=models.F("deadline_before")),
                name="inspections_deadlineextension_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue.number} → {self.requested_deadline}"

    def clean(self) -> None:
        if (
            self.requested_deadline
            and self.deadline_before
            and self.requested_deadline <= self.deadline_before
        ):
            raise ValidationError(
                {"requested_deadline": _("The new deadline must be after the current one.")}
            )
