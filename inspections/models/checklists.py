"""Checklist templates (DOMAIN §2): the seven inspection areas plus the winter-hazard campaign.

A template is versioned: once an inspection uses a version, that version never changes again;
editing it creates the next version (see ``services.checklists.template_revise``) and every
inspection keeps pointing at the version it was done with.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit_portal.core.models import Regulated


class Area(models.TextChoices):
    """The checklist's sections: DOMAIN §2 and the seasonal checks of seed 004."""

    INTERNAL_MANAGEMENT = "internal_management", gettext_lazy("Internal management")
    DAILY_CARE = "daily_care", gettext_lazy("Daily care")
    HYGIENE = "hygiene", gettext_lazy("Hygiene and epidemic prevention")
    FOOD_DRUG = "food_drug", gettext_lazy("Food and drug safety")
    FIRE_SAFETY = "fire_safety", gettext_lazy("Fire safety")
    DISCHARGE = "discharge", gettext_lazy("Discharge and return home")
    OFFSITE_CUSTODY = "offsite_custody", gettext_lazy("Off-site custody")
    WINTER = "winter", gettext_lazy("Winter hazards")


class ChecklistTemplate(Regulated):
    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("In use")
        RETIRED = "retired", gettext_lazy("Replaced by a newer version")

    # Versions of one template share the code; (code, version) is unique.
    code = models.SlugField(gettext_lazy("code"), max_length=40)
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1)
    name = models.CharField(gettext_lazy("name"), max_length=120)
    description = models.TextField(gettext_lazy("description"), blank=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=gettext_lazy("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("checklist template")
        verbose_name_plural = gettext_lazy("checklist templates")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="inspections_checklisttemplate_code_version"
            ),
            # The version offered for new inspections: at most one per code.
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="active"),
                name="inspections_checklisttemplate_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ChecklistItem(Regulated):
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=gettext_lazy("checklist template"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    area = models.CharField(gettext_lazy("area"), max_length=24, choices=Area.choices)
    position = models.PositiveIntegerField(gettext_lazy("position"), default=0)
    text = models.CharField(gettext_lazy("check"), max_length=300)
    guidance = models.TextField(gettext_lazy("guidance"), blank=True)
    critical = models.BooleanField(
        gettext_lazy("critical"),
        default=False,
        help_text=gettext_lazy("A failure is at least a serious issue."),
    )

    REASON_REQUIRED = False

    class Meta:
        verbose_name = gettext_lazy("checklist item")
        verbose_name_plural = gettext_lazy("checklist items")
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return self.text
