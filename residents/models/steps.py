"""What is done for a resident, each a dated record with its clock: the identity search (family-
search notice, police verification, DNA, fingerprints, face recognition), the settlement report
or application for a long stay, the return home and the follow-up visits after it.

Due moments are stored when a step is created (by the services, from the rules), so the lists of
overdue steps are a filter on an indexed column.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.models import Regulated
from residents.models.residents import Resident


class IdentityStep(Regulated):
    class Kind(models.TextChoices):
        NOTICE = "notice", gettext_lazy("Family-search notice")
        POLICE = "police", gettext_lazy("Police identity verification")
        DNA = "dna", gettext_lazy("DNA sample")
        FINGERPRINT = "fingerprint", gettext_lazy("Fingerprints")
        FACE = "face", gettext_lazy("Face-recognition search")

    class Outcome(models.TextChoices):
        DONE = "done", gettext_lazy("Done, nothing found yet")
        IDENTIFIED = "identified", gettext_lazy("Identity found")
        NOT_IDENTIFIED = "not_identified", gettext_lazy("No match")
        OTHER = "other", pgettext_lazy("outcome", "Other")

    resident = models.ForeignKey(
        Resident,
        verbose_name=gettext_lazy("resident"),
        on_delete=models.PROTECT,
        related_name="identity_steps",
    )
    kind = models.CharField(gettext_lazy("step"), max_length=12, choices=Kind.choices)
    # Requested (police), collected (DNA, fingerprints), started (notice, face search); a notice
    # is created at admission, not yet started, with its 24-hour clock.
    started_at = models.DateTimeField(
        gettext_lazy("requested or started at"), null=True, blank=True
    )
    due_at = models.DateTimeField(gettext_lazy("due by"), null=True, blank=True)
    done_at = models.DateTimeField(gettext_lazy("done or answered at"), null=True, blank=True)
    reference = models.CharField(gettext_lazy("reference"), max_length=100, blank=True)
    outcome = models.CharField(
        gettext_lazy("outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    note = models.TextField(gettext_lazy("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("identity search step")
        verbose_name_plural = gettext_lazy("identity search steps")
        ordering = ["created_at"]
        indexes = [
            # Overdue steps (the list filter, the inbox): open steps by their due moment.
            models.Index(
                fields=["due_at"],
                condition=Q(done_at__isnull=True, due_at__isnull=False),
                name="residents_step_open_due_idx",
            ),
            # A resident's steps on the detail page.
            models.Index(fields=["resident", "created_at"], name="residents_step_resident_idx"),
        ]
        constraints = [
            # One family-search notice per resident: its clock starts at the admission.
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(kind="notice"),
                name="residents_identitystep_one_notice",
            ),
            # An outcome comes with the moment it came, and only then.
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, outcome="")
                | (Q(done_at__isnull=False) & ~Q(outcome="")),
                name="residents_identitystep_outcome_when_done",
            ),
            models.CheckConstraint(
                condition=Q(started_at__isnull=True)
                | Q(done_at__isnull=True)
                | Q(done_at__gte=F("started_at")),
                name="residents_identitystep_done_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.resident_id}"

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.done_at is None and self.due_at is not None and now > self.due_at


class Settlement(Regulated):
    """The station's report (seed 003, at 3 full months) or application (seed 001, over 3 months)
    for a long-stay resident whose household registration is unknown, and what came of it."""

    class Kind(models.TextChoices):
        REPORT = "report", gettext_lazy("Settlement report to civil affairs")
        APPLICATION = "application", gettext_lazy("Settlement application")

    class Outcome(models.TextChoices):
        HOUSEHOLD_REGISTERED = "registered", gettext_lazy("Household registered")
        PLACED_IN_CARE = "placed", gettext_lazy("Placed in long-term care")
        REFUSED = "refused", gettext_lazy("Not approved")

    resident = models.ForeignKey(
        Resident,
        verbose_name=gettext_lazy("resident"),
        on_delete=models.PROTECT,
        related_name="settlements",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=12, choices=Kind.choices)
    filed_on = models.DateField(gettext_lazy("reported or applied on"))
    reference = models.CharField(gettext_lazy("reference"), max_length=100, blank=True)
    outcome = models.CharField(
        gettext_lazy("outcome"), max_length=12, choices=Outcome.choices, blank=True
    )
    outcome_on = models.DateField(gettext_lazy("outcome on"), null=True, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("settlement step")
        verbose_name_plural = gettext_lazy("settlement steps")
        ordering = ["filed_on"]
        indexes = [
            # "Awaiting settlement": does a long-stay resident have a step filed?
            models.Index(fields=["resident", "filed_on"], name="residents_settlement_res_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True)
                | (~Q(outcome="") & Q(outcome_on__gte=F("filed_on"))),
                name="residents_settlement_outcome_with_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filed_on}"


class ReturnHome(Regulated):
    """One line of the returned-home ledger (返乡人员信息台账): where the resident went and the
    written feedback sent to the home area's station."""

    resident = models.OneToOneField(
        Resident,
        verbose_name=gettext_lazy("resident"),
        on_delete=models.PROTECT,
        related_name="return_home",
    )
    returned_on = models.DateField(gettext_lazy("returned on"))
    home_area = models.CharField(gettext_lazy("home area"), max_length=120)
    home_station = models.CharField(gettext_lazy("home-area rescue station"), max_length=120)
    received_by = models.CharField(gettext_lazy("received by"), max_length=60, blank=True)
    feedback_sent_on = models.DateField(
        gettext_lazy("written feedback sent on"), null=True, blank=True
    )
    feedback_reference = models.CharField(
        gettext_lazy("feedback reference"), max_length=100, blank=True
    )
    # Decided at the return by the rules (minors always): the ledger shows who is owed visits.
    follow_up_required = models.BooleanField(gettext_lazy("follow-up visits required"))
    note = models.TextField(gettext_lazy("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("return home")
        verbose_name_plural = gettext_lazy("returns home")
        ordering = ["-returned_on"]
        indexes = [
            # The ledger, newest return first.
            models.Index(fields=["-returned_on"], name="residents_return_day_idx"),
            # "Feedback not sent yet".
            models.Index(
                fields=["returned_on"],
                condition=Q(feedback_sent_on__isnull=True),
                name="residents_no_feedback_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_sent_on__isnull=True)
                | Q(feedback_sent_on__gte=F("returned_on")),
                name="residents_returnhome_feedback_after_return",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} → {self.home_area}"


class FollowUpVisit(Regulated):
    """A visit owed after a return home (回访), due on a day; done on a day by someone."""

    return_home = models.ForeignKey(
        ReturnHome,
        verbose_name=gettext_lazy("return home"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_on = models.DateField(gettext_lazy("due on"))
    done_on = models.DateField(gettext_lazy("visited on"), null=True, blank=True)
    # Who visited (the home area's staff, often): a name, not an account.
    visited_by = models.CharField(gettext_lazy("visited by"), max_length=60, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("follow-up visit")
        verbose_name_plural = gettext_lazy("follow-up visits")
        ordering = ["due_on"]
        indexes = [
            # Follow-ups due or missed: open visits by due day.
            models.Index(
                fields=["due_on"],
                condition=Q(done_on__isnull=True),
                name="residents_followup_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(visited_by=""),
                name="residents_followupvisit_done_names_visitor",
            ),
            models.UniqueConstraint(
                fields=["return_home", "due_on"], name="residents_followupvisit_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.return_home} · {self.due_on}"

    def is_missed(self, on: datetime.date) -> bool:
        return self.done_on is None and on > self.due_on
