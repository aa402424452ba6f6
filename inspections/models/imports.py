"""An Excel file uploaded to import institutions, kept between its preview and its confirmation.

The upload page stores the file's bytes here, owned by whoever uploaded it; the preview and the
confirmation read them back, so the file checked is the file imported. Confirming claims the
row first (a conditional update sets ``imported_at``), so a second submit of the same
confirmation creates nothing twice. Unconfirmed uploads expire
(``rules().import_upload_keep_minutes``); once imported, the bytes are dropped and the row stays
as the record of who imported which file, when.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportUpload(models.Model):
    # A random key: the confirmation URL cannot be guessed from another user's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"), blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # What the import created: {"institutions": [[pk, name], ...], "documents": [[pk, ...]]}.
    report = models.JSONField(_("import report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import upload")
        verbose_name_plural = _("import uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
