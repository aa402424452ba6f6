import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Regulated(models.Model):
    """A regulated record: every change is kept (django-simple-history) with who, when and why,
    and a change without a reason is refused whatever the code path (``core.history``). A model
    that keeps its history but needs no reason sets ``REASON_REQUIRED = False``."""

    history = HistoricalRecords(inherit=True)
    REASON_REQUIRED = True

    class Meta:
        abstract = True


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    # Random names: an uploaded file's name never reaches the file system.
    now = timezone.now()
    return f"evidence/{now:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class EvidenceFile(Regulated):
    """An uploaded scan or photo, attached to one record (its owner).

    Created only through ``audit_portal.core.evidence.evidence_attach``, which enforces the upload
    rules; served only through the permission-checked download view.
    """

    class Kind(models.TextChoices):
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        PDF = "application/pdf", "PDF"

    EXTENSIONS = {Kind.JPEG: ".jpg", Kind.PNG: ".png", Kind.PDF: ".pdf"}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    media_type = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    original_name = models.CharField(_("original file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="core_evidence_owner_idx")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return self.EXTENSIONS[self.Kind(self.media_type)]

    @property
    def is_image(self) -> bool:
        return self.media_type in (self.Kind.JPEG, self.Kind.PNG)
