"""The import page's two steps (``inspections/views/imports.py``): the uploaded workbook is kept
(``ImportUpload``) between its preview and its confirmation, so the file checked is the file
imported, and the confirmation imports it once however often it is sent. The import itself is
``services/imports.py``'s."""

import datetime
import hashlib
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.rules import rules
from inspections.models import ImportUpload
from inspections.services.imports import (
    ImportReport,
    file_bytes,
    institutions_import,
    require_import,
)


def upload_keep() -> datetime.timedelta:
    return datetime.timedelta(minutes=rules().import_upload_keep_minutes)


@transaction.atomic
def import_upload_store(*, file: IO[bytes], actor: User) -> ImportUpload:
    """Keep an uploaded workbook for its preview and confirmation (refused as the import would
    refuse it: type and size). Uploads left unconfirmed past their time are deleted here."""
    require_import(actor)
    data, filename = file_bytes(file)
    ImportUpload.objects.filter(
        imported_at__isnull=True, created_at__lt=timezone.now() - upload_keep()
    ).delete()
    return ImportUpload.objects.create(
        owner=actor,
        filename=filename[:200],
        content=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def import_upload_file(upload: ImportUpload) -> ContentFile:
    return ContentFile(bytes(upload.content), name=upload.filename)


def import_upload_expired(upload: ImportUpload) -> bool:
    return upload.imported_at is None and upload.created_at + upload_keep() < timezone.now()


@transaction.atomic
def import_upload_confirm(*, upload: ImportUpload, actor: User) -> ImportReport:
    """Import the kept file, once: the upload is claimed first by a conditional update, so a
    second confirmation (a double click, a resent form) finds it taken and imports nothing."""
    if upload.owner_id != actor.pk:
        raise PermissionDenied
    now = timezone.now()
    claimed = ImportUpload.objects.filter(pk=upload.pk, imported_at__isnull=True).update(
        imported_at=now
    )
    if not claimed:
        raise ValidationError(
            _("This file has already been imported; nothing was imported again."),
            code="import_already_done",
        )
    upload.refresh_from_db()
    if upload.created_at + upload_keep() < now:
        raise ValidationError(
            _("The uploaded file has expired: upload it again."), code="import_expired"
        )
    report = institutions_import(file=import_upload_file(upload), actor=actor)
    upload.report = report.as_json()
    upload.content = b""
    upload.save(update_fields=["report", "content"])
    return report
