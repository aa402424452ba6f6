"""Signatures given on site (签字留痕, seed 004; DOMAIN §2): once the team has recorded the
results, its members and the institution's representative sign on the inspector's phone.

Each signature is a PNG kept as evidence of the inspection (``core.evidence``) with its SHA-256,
the signer's name and role and the time. A representative who refuses to sign (拒绝签字) is
recorded with the reason instead. The draft is submitted only with the team lead's signature
and the representative's signature or refusal (``services.signatures.signatures_missing``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit_portal.core.models import EvidenceFile, Regulated
from inspections.models.inspections import Inspection


class InspectionSignature(Regulated):
    class Role(models.TextChoices):
        LEAD = "lead", gettext_lazy("Team lead")
        MEMBER = "member", gettext_lazy("Team member")
        INSTITUTION = "institution", gettext_lazy("Institution representative")

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=gettext_lazy("inspection"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    role = models.CharField(gettext_lazy("role"), max_length=12, choices=Role.choices)
    # The team member who signed; empty for the institution's representative, who has no
    # account and signs on the team's phone.
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("signer's account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(gettext_lazy("name"), max_length=60)
    signer_position = models.CharField(gettext_lazy("position"), max_length=60, blank=True)
    image = models.OneToOneField(
        EvidenceFile,
        verbose_name=gettext_lazy("signature"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sha256 = models.CharField(gettext_lazy("SHA-256 of the signature"), max_length=64, blank=True)
    refusal_reason = models.TextField(gettext_lazy("reason for refusing to sign"), blank=True)
    signed_at = models.DateTimeField(gettext_lazy("signed at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("signature")
        verbose_name_plural = gettext_lazy("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            # A signature has its image and hash; a refusal has its reason and neither.
            models.CheckConstraint(
                condition=(Q(image__isnull=False) & ~Q(sha256="") & Q(refusal_reason=""))
                | (Q(image__isnull=True) & Q(sha256="") & ~Q(refusal_reason="")),
                name="inspections_inspectionsignature_image_or_refusal",
            ),
            # Only the institution's representative may refuse; team members sign.
            models.CheckConstraint(
                condition=Q(image__isnull=False) | Q(role="institution"),
                name="inspections_inspectionsignature_only_institution_refuses",
            ),
            # Team members sign with their account; the representative has none.
            models.CheckConstraint(
                condition=(Q(role="institution") & Q(signer__isnull=True))
                | (~Q(role="institution") & Q(signer__isnull=False)),
                name="inspections_inspectionsignature_signer_iff_team",
            ),
            models.UniqueConstraint(
                fields=["inspection", "signer"],
                condition=Q(signer__isnull=False),
                name="inspections_inspectionsignature_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=Q(role="institution"),
                name="inspections_inspectionsignature_one_representative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} · {self.get_role_display()}"

    @property
    def is_refusal(self) -> bool:
        return self.image_id is None
