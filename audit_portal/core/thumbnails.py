"""Small JPEG copies of image evidence, for pages (an <img> beside each finding) and PDFs.

A thumbnail is made once, when the image is stored (``evidence._store``), and lies next to it
under the same random name (``…/<hex>.thumb.jpg``); an image stored before thumbnails existed
gets one the first time it is asked for. It is served only through the permission-checked
``evidence_thumbnail`` view, like the file itself.

Memory stays flat: a JPEG is decoded at a reduced scale (``Image.draft``: 1/2 to 1/8 of its
size, straight from the compressed data), never at full size, and the copy is a few dozen kB.
"""

import base64
import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from audit_portal.core.models import EvidenceFile

logger = logging.getLogger(__name__)

# The long edge, in pixels: sharp at 120 px on a phone's 3x screen and at 60 mm in a printed PDF.
EDGE = 480
QUALITY = 80
MEDIA_TYPE = "image/jpeg"


def thumbnail_name(evidence: EvidenceFile) -> str:
    path = PurePosixPath(evidence.file.name)
    return str(path.with_name(f"{path.stem}.thumb.jpg"))


def make_thumbnail(data: bytes) -> bytes:
    """A JPEG no larger than EDGE × EDGE; transparency (a signature's PNG) over white."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (EDGE, EDGE))
        image.thumbnail((EDGE, EDGE))
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            canvas = Image.new("RGB", image.size, (255, 255, 255))
            canvas.paste(image, mask=image.getchannel("A"))
            image = canvas
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=QUALITY, optimize=True)
        return out.getvalue()


def store_thumbnail(evidence: EvidenceFile, data: bytes) -> None:
    """Write the thumbnail of an image just stored (its cleaned bytes); no-op for a PDF."""
    if not evidence.is_image:
        return
    storage = evidence.file.storage
    name = thumbnail_name(evidence)
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(make_thumbnail(data)))


def delete_thumbnail(evidence: EvidenceFile) -> None:
    if evidence.file.name:
        evidence.file.storage.delete(thumbnail_name(evidence))


def thumbnail_bytes(evidence: EvidenceFile) -> bytes | None:
    """The thumbnail of an image (made now if it is missing), or ``None`` for a PDF or a file
    that is gone or no longer reads as an image."""
    if not evidence.is_image or not evidence.file.name:
        return None
    storage = evidence.file.storage
    name = thumbnail_name(evidence)
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        pass
    try:
        with evidence.file.open("rb") as handle:
            data = make_thumbnail(handle.read())
    except (FileNotFoundError, UnidentifiedImageError, OSError, ValueError):
        logger.warning("evidence %s: no thumbnail could be made", evidence.pk)
        return None
    storage.save(name, ContentFile(data))
    return data


def thumbnail_data_uri(evidence: EvidenceFile) -> str | None:
    """The thumbnail as a ``data:`` URL, for a PDF: WeasyPrint's fetcher reads ``data:`` URLs
    and nothing from the server's own files (``core.pdf.url_fetcher``)."""
    data = thumbnail_bytes(evidence)
    if data is None:
        return None
    return f"data:{MEDIA_TYPE};base64,{base64.b64encode(data).decode('ascii')}"
