"""Evidence uploads: one set of rules for every scan, photo and attachment in the system.

- only JPEG, PNG and PDF, at most 20 MB;
- the file's magic bytes must match the type its name claims, and the whole file must parse as
  that type (a PNG header followed by HTML is refused);
- images are re-encoded, which drops EXIF (GPS position, device, time) and anything appended;
- stored under random names in MEDIA_ROOT, outside the static root; an image gets a small JPEG
  copy beside it (``core.thumbnails``) for pages and PDFs;
- downloaded only through ``evidence_download``, which asks the owner's app whether the user may
  see the owner (404 otherwise).
"""

import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from audit_portal.core.models import EvidenceFile
from audit_portal.core.thumbnails import delete_thumbnail, store_thumbnail

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 80_000_000  # refuse decompression bombs long before memory runs out

SIGNATURES = {
    EvidenceFile.Kind.JPEG: (b"\xff\xd8\xff",),
    EvidenceFile.Kind.PNG: (b"\x89PNG\r\n\x1a\n",),
    EvidenceFile.Kind.PDF: (b"%PDF-",),
}
TYPE_BY_EXTENSION = {
    ".jpg": EvidenceFile.Kind.JPEG,
    ".jpeg": EvidenceFile.Kind.JPEG,
    ".png": EvidenceFile.Kind.PNG,
    ".pdf": EvidenceFile.Kind.PDF,
}
ACCEPT = ".jpg,.jpeg,.png,.pdf"
# A field for photos only: a phone offers its camera (with ``capture="environment"``, the back
# one) and its gallery; the server still accepts only JPEG and PNG.
ACCEPT_PHOTOS = "image/*"

# Owner model -> function(user) returning the owners of that model the user may see.
_OWNER_SCOPES: dict[type[models.Model], Callable[..., QuerySet]] = {}


def register_owner(model: type[models.Model], visible_to: Callable[..., QuerySet]) -> None:
    _OWNER_SCOPES[model] = visible_to


def evidence_visible_to(user, evidence: EvidenceFile) -> bool:
    model = evidence.owner_type.model_class()
    visible_to = _OWNER_SCOPES.get(model)
    if visible_to is None or not user.is_authenticated:
        return False
    return visible_to(user).filter(pk=evidence.owner_id).exists()


def _declared_type(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    kind = TYPE_BY_EXTENSION.get(suffix)
    if kind is None:
        raise ValidationError(
            _("Only JPEG, PNG and PDF files are accepted (this file is “%(suffix)s”)."),
            code="evidence_type",
            params={"suffix": suffix or _("without extension")},
        )
    return kind


def _reencode_image(data: bytes, kind: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # structure and checksums of the whole file
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image is too large."), code="evidence_pixels")
            image.load()
            # Keep the picture the right way up, then drop every metadata block.
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == EvidenceFile.Kind.JPEG:
                image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is damaged or is not really an image."), code="evidence_corrupt"
        ) from None


# What makes a PDF act when opened rather than be read: scripts, programs started, forms that
# send or load data, embedded files and media. A plain "go to page" opening action is allowed.
_ACTIVE_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
    }
)
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition"}
)


def _active_content(data: bytes) -> str | None:
    """The first active element of the PDF (its name), or ``None``. Every object reachable from
    the trailer is visited (object streams included: pypdf decompresses them); page contents
    are not decoded."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pending = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        while pending:
            node = pending.pop()
            if isinstance(node, IndirectObject):
                if (node.idnum, node.generation) in seen:
                    continue
                seen.add((node.idnum, node.generation))
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for key in node:
                    if key in _ACTIVE_KEYS:
                        return str(key)
                action = node.get("/S")
                if action in _ACTIVE_ACTIONS:
                    return str(action)
                pending.extend(value for key, value in node.items() if key != "/Parent")
            elif isinstance(node, ArrayObject):
                pending.extend(node)
    except (PdfReadError, ValueError, TypeError, KeyError, RecursionError, OSError):
        raise ValidationError(
            _("The file is damaged or is not really a PDF."), code="evidence_corrupt"
        ) from None
    return None


def _check_pdf(data: bytes) -> None:
    active = _active_content(data)
    if active is not None:
        raise ValidationError(
            _(
                "The PDF contains active content (%(element)s: scripts, actions or embedded "
                "files), which is not accepted. Print it again to PDF, or scan the paper copy."
            ),
            code="evidence_active_pdf",
            params={"element": active.lstrip("/")},
        )
    tail = data[-2048:]
    if b"%%EOF" not in tail:
        raise ValidationError(
            _("The file is damaged or is not really a PDF."), code="evidence_corrupt"
        )
    head = data[:4096].lower()
    if b"<html" in head or b"<script" in head or b"<!doctype" in head:
        raise ValidationError(
            _("The file is damaged or is not really a PDF."), code="evidence_corrupt"
        )


def clean_upload(upload: UploadedFile) -> tuple[str, bytes]:
    """Apply the upload rules; return the media type and the bytes to store."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 20 MB (%(size)s bytes)."),
            code="evidence_size",
            params={"size": upload.size},
        )
    kind = _declared_type(upload.name or "")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 20 MB (%(size)s bytes)."),
            code="evidence_size",
            params={"size": upload.size},
        )
    if not any(data.startswith(signature) for signature in SIGNATURES[kind]):
        raise ValidationError(
            _("The file's content is not %(type)s, though its name says so."),
            code="evidence_magic",
            params={"type": EvidenceFile.Kind(kind).label},
        )
    if kind == EvidenceFile.Kind.PDF:
        _check_pdf(data)
        return kind, data
    return kind, _reencode_image(data, kind)


def evidence_attach(
    *, owner: models.Model, upload: UploadedFile, actor, caption: str = ""
) -> EvidenceFile:
    """Store one upload for ``owner``. Raises ValidationError when a rule is broken."""
    kind, data = clean_upload(upload)
    return _store(owner, upload, kind, data, actor=actor, caption=caption)


def evidence_attach_many(
    items: Iterable[tuple[models.Model, UploadedFile]], *, actor
) -> list[EvidenceFile]:
    """Store several uploads (each with its owner), all or none: every file is checked before
    any is stored, and if storing one fails the files already written are removed, so a refused
    batch leaves nothing behind on disk either."""
    checked = [(owner, upload, *clean_upload(upload)) for owner, upload in items]
    stored: list[EvidenceFile] = []
    try:
        for owner, upload, kind, data in checked:
            stored.append(_store(owner, upload, kind, data, actor=actor))
    except BaseException:
        for evidence in stored:
            delete_thumbnail(evidence)
            evidence.file.delete(save=False)
        raise
    return stored


def _store(
    owner: models.Model, upload: UploadedFile, kind: str, data: bytes, *, actor, caption: str = ""
) -> EvidenceFile:
    evidence = EvidenceFile(
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        media_type=kind,
        original_name=PurePath(upload.name).name[:200],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        caption=caption,
        uploaded_by=actor,
    )
    evidence.file.save(f"upload{evidence.extension}", ContentFile(data), save=False)
    store_thumbnail(evidence, data)
    evidence._history_user = actor
    evidence.save()
    return evidence


def evidence_for(owner: models.Model) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    )


def evidence_by_owner(owners: Sequence[models.Model]) -> dict[int, list[EvidenceFile]]:
    """The evidence files of several owners of one model, in one query, by owner pk."""
    by_owner: dict[int, list[EvidenceFile]] = {owner.pk: [] for owner in owners}
    if not owners:
        return by_owner
    files = EvidenceFile.objects.filter(
        owner_type=ContentType.objects.get_for_model(owners[0]),
        owner_id__in=list(by_owner),
    ).order_by("pk")
    for evidence in files:
        by_owner[evidence.owner_id].append(evidence)
    return by_owner
