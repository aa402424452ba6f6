"""The residents the placing station saw on a monthly visit (每月探视): the visit is an inspection
of kind ``monthly_visit`` under an agreement; each row names one resident in care under it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit_portal.core.models import Regulated
from residents.models.residents import Resident


class ResidentSeen(Regulated):
    visit = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=gettext_lazy("monthly visit"),
        on_delete=models.PROTECT,
        related_name="residents_seen_on_record",
        limit_choices_to={"kind": "monthly_visit"},
    )
    resident = models.ForeignKey(
        Resident,
        verbose_name=gettext_lazy("resident"),
        on_delete=models.PROTECT,
        related_name="seen_on_visits",
    )
    note = models.CharField(gettext_lazy("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("resident seen on a visit")
        verbose_name_plural = gettext_lazy("residents seen on visits")
        ordering = ["visit", "resident__name"]
        constraints = [
            # A resident is seen once a visit (the visit's list of ticks).
            models.UniqueConstraint(
                fields=["visit", "resident"], name="residents_residentseen_once_a_visit"
            ),
        ]
        indexes = [
            # A resident's visits, newest first (when was this person last seen?).
            models.Index(fields=["resident", "-created_at"], name="residents_seen_resident_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} · {self.resident}"
