import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit_portal.core import evidence as evidence_module
from audit_portal.core.evidence import MAX_BYTES, evidence_attach, evidence_attach_many
from audit_portal.core.models import EvidenceFile
from tests.files import MINIMAL_PDF, jpeg_bytes_with_gps, jpeg_upload, pdf_upload, png_bytes

pytestmark = pytest.mark.django_db


def attach(world, upload):
    return evidence_attach(
        owner=world.document_a, upload=upload, actor=world.users["county_a_staff"]
    )


def test_a_png_header_followed_by_html_is_refused(world):
    fake = b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationError) as error:
        attach(world, SimpleUploadedFile("photo.png", fake, content_type="image/png"))
    assert error.value.code == "evidence_corrupt"


def test_html_named_pdf_is_refused(world):
    with pytest.raises(ValidationError) as error:
        attach(world, SimpleUploadedFile("scan.pdf", b"<html></html>", "application/pdf"))
    assert error.value.code == "evidence_magic"


def test_a_pdf_with_html_inside_its_header_is_refused(world):
    data = b"%PDF-1.4\n<html><script>x</script></html>\n%%EOF"
    with pytest.raises(ValidationError):
        attach(world, SimpleUploadedFile("scan.pdf", data, "application/pdf"))


def test_a_jpeg_named_png_is_refused(world):
    with pytest.raises(ValidationError) as error:
        attach(world, SimpleUploadedFile("photo.png", jpeg_bytes_with_gps(), "image/png"))
    assert error.value.code == "evidence_magic"


@pytest.mark.parametrize("name", ["macro.docx", "page.html", "noextension", "x.svg"])
def test_other_types_are_refused(world, name):
    with pytest.raises(ValidationError) as error:
        attach(world, SimpleUploadedFile(name, MINIMAL_PDF))
    assert error.value.code == "evidence_type"


def test_20_mb_plus_one_byte_is_refused(world):
    data = MINIMAL_PDF[:-6] + b" " * (MAX_BYTES + 1 - len(MINIMAL_PDF)) + b"%%EOF\n"
    assert len(data) == MAX_BYTES + 1
    with pytest.raises(ValidationError) as error:
        attach(world, SimpleUploadedFile("big.pdf", data, "application/pdf"))
    assert error.value.code == "evidence_size"


def test_exactly_20_mb_is_accepted(world):
    data = MINIMAL_PDF[:-6] + b" " * (MAX_BYTES - len(MINIMAL_PDF)) + b"%%EOF\n"
    assert len(data) == MAX_BYTES
    assert attach(world, SimpleUploadedFile("big.pdf", data, "application/pdf")).size == MAX_BYTES


def test_exif_and_gps_are_gone_after_upload(world):
    original = Image.open(io.BytesIO(jpeg_bytes_with_gps()))
    assert original.getexif().get(0x8825)  # the test file really carries GPS
    evidence = attach(world, jpeg_upload())
    with evidence.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert not stored.getexif()
        assert stored.size == (64, 48)


def test_files_are_stored_under_random_names_outside_static(world, settings):
    evidence = attach(world, pdf_upload("身份证复印件.pdf"))
    assert "身份证" not in evidence.file.name
    assert evidence.file.name.startswith("evidence/")
    assert str(settings.MEDIA_ROOT) in evidence.file.path
    assert evidence.original_name == "身份证复印件.pdf"


def test_png_is_reencoded_and_kept(world):
    evidence = attach(world, SimpleUploadedFile("a.png", png_bytes(), "image/png"))
    assert evidence.media_type == "image/png"


def test_download_is_an_attachment_with_nosniff(world, client_for):
    response = client_for("county_a_staff").get(
        reverse("evidence_download", args=[world.evidence_a.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_outsider_gets_404_for_the_file(world, client_for):
    url = reverse("evidence_download", args=[world.evidence_a.pk])
    assert client_for("county_b_staff").get(url).status_code == 404


def test_png_metadata_is_gone_after_upload(world):
    from PIL import PngImagePlugin

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 17.0, 30.0)}
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "拍摄地点 31.29N 120.62E")
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 90, 200)).save(out, format="PNG", exif=exif, pnginfo=text)
    assert b"eXIf" in out.getvalue()
    evidence = attach(world, SimpleUploadedFile("a.png", out.getvalue(), "image/png"))
    with evidence.file.open("rb") as handle:
        stored = handle.read()
    assert b"eXIf" not in stored and "拍摄地点".encode() not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def _stored_files() -> set[str]:
    return {str(path) for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def test_a_refused_batch_leaves_no_file_behind(world):
    """A good photo followed by a fake one: nothing is stored, on disk or in the database."""
    files, rows = _stored_files(), EvidenceFile.objects.count()
    fake = SimpleUploadedFile("scan.pdf", b"<html></html>", "application/pdf")
    with pytest.raises(ValidationError):
        evidence_attach_many(
            [(world.document_a, jpeg_upload("good.jpg")), (world.document_a, fake)],
            actor=world.users["county_a_staff"],
        )
    assert _stored_files() == files
    assert EvidenceFile.objects.count() == rows


def test_a_batch_that_fails_while_storing_removes_what_it_wrote(world, monkeypatch):
    files = _stored_files()
    real_store, calls = evidence_module._store, []

    def failing_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(evidence_module, "_store", failing_second)
    with pytest.raises(OSError):
        evidence_attach_many(
            [(world.document_a, jpeg_upload("a.jpg")), (world.document_a, jpeg_upload("b.jpg"))],
            actor=world.users["county_a_staff"],
        )
    assert _stored_files() == files
