"""Photos of inspections: thumbnails made at upload, served through the permission check, shown
on the inspection and issue pages and printed in the report; the camera on phones."""

import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit_portal.core.evidence import evidence_attach, evidence_attach_many, evidence_for
from audit_portal.core.thumbnails import EDGE, thumbnail_bytes, thumbnail_name
from inspections.services.inspections import inspection_record
from tests.files import jpeg_upload
from tests.inspections.factories import sign_on_site, submitted_inspection

pytestmark = pytest.mark.django_db


def big_jpeg(width=3000, height=2000) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(out, format="JPEG")
    return SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")


def photo_of_first_result(inspection, actor, upload=None):
    row = inspection.results.order_by("item__position").first()
    inspection_record(
        inspection=inspection, actor=actor, results={}, photos={row.pk: [upload or big_jpeg()]}
    )
    return row, evidence_for(row).order_by("uploaded_at").last()


def test_an_uploaded_photo_gets_a_small_jpeg_beside_it(world):
    evidence = evidence_attach(
        owner=world.document_a, upload=big_jpeg(), actor=world.users["county_a_staff"]
    )
    storage = evidence.file.storage
    assert storage.exists(thumbnail_name(evidence))
    with storage.open(thumbnail_name(evidence), "rb") as handle:
        thumb = Image.open(io.BytesIO(handle.read()))
    assert thumb.format == "JPEG"
    assert max(thumb.size) == EDGE and thumb.size == (EDGE, EDGE * 2 // 3)


def test_a_pdf_has_no_thumbnail(world, client_for):
    assert thumbnail_bytes(world.evidence_a) is None
    url = reverse("evidence_thumbnail", args=[world.evidence_a.pk])
    assert client_for("county_a_staff").get(url).status_code == 404


def test_a_missing_thumbnail_is_made_on_first_request(world, client_for):
    evidence = evidence_attach(
        owner=world.document_a, upload=jpeg_upload(), actor=world.users["county_a_staff"]
    )
    evidence.file.storage.delete(thumbnail_name(evidence))  # stored before thumbnails existed
    response = client_for("county_a_staff").get(reverse("evidence_thumbnail", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert evidence.file.storage.exists(thumbnail_name(evidence))


def test_the_thumbnail_is_refused_outside_the_owners_scope(world, client_for):
    _, photo = photo_of_first_result(world.draft_a, world.users["county_a_staff"])
    url = reverse("evidence_thumbnail", args=[photo.pk])
    assert client_for("county_a_staff").get(url).status_code == 200
    assert client_for("county_b_staff").get(url).status_code == 404
    # The draft is not the institution's to see yet, nor its photos.
    assert client_for("institution_user").get(url).status_code == 404


def test_a_refused_batch_leaves_no_thumbnail_behind(world, monkeypatch):
    from audit_portal.core import evidence as evidence_module

    thumbnails = []
    real_store = evidence_module._store

    def store_then_fail(*args, **kwargs):
        if thumbnails:
            raise OSError("disk full")
        evidence = real_store(*args, **kwargs)
        thumbnails.append((evidence.file.storage, thumbnail_name(evidence)))
        return evidence

    monkeypatch.setattr(evidence_module, "_store", store_then_fail)
    with pytest.raises(OSError):
        evidence_attach_many(
            [(world.document_a, jpeg_upload()), (world.document_a, jpeg_upload())],
            actor=world.users["county_a_staff"],
        )
    storage, name = thumbnails[0]
    assert not storage.exists(name)


def test_the_record_page_offers_the_camera_and_the_gallery(world, client_for):
    page = client_for("county_a_staff").get(
        reverse("inspections:inspection_record", args=[world.draft_a.pk])
    )
    text = page.content.decode()
    row = world.draft_a.results.first()
    assert (
        f'id="camera-{row.pk}" name="photos-{row.pk}" accept="image/*" capture="environment"'
        in (text)
    )
    assert f'id="photos-{row.pk}" name="photos-{row.pk}" multiple accept="image/*"' in text


def test_the_inspection_page_shows_thumbnails(world, client_for):
    _, photo = photo_of_first_result(world.draft_a, world.users["county_a_staff"])
    page = (
        client_for("county_a_staff")
        .get(reverse("inspections:inspection_detail", args=[world.draft_a.pk]))
        .content.decode()
    )
    assert f'src="{reverse("evidence_thumbnail", args=[photo.pk])}"' in page
    assert f'href="{reverse("evidence_download", args=[photo.pk])}"' in page


def test_the_issue_page_shows_the_inspectors_photos(world, client_for):
    staff = world.users["county_a_staff"]
    inspection, (issue,) = submitted_inspection(world.institution_b, world.users["county_b_staff"])
    row = issue.result
    photo = evidence_attach(owner=row, upload=jpeg_upload(), actor=staff)
    page = client_for("county_b_staff").get(reverse("inspections:issue_detail", args=[issue.pk]))
    assert reverse("evidence_thumbnail", args=[photo.pk]) in page.content.decode()
    assert inspection.pk


def test_the_report_pdf_prints_the_photos(world, client_for, tmp_path):
    staff = world.users["county_a_staff"]
    photo_of_first_result(world.draft_a, staff)
    photo_of_first_result(world.draft_a, staff, upload=jpeg_upload())
    response = client_for("county_a_staff").get(
        reverse("inspections:inspection_pdf", args=[world.draft_a.pk])
    )
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    listing = subprocess.run(  # noqa: S603 - a fixed command on a file of the test
        ["pdfimages", "-list", str(path)],  # noqa: S607 - poppler-utils, a listed dependency
        capture_output=True,
        check=True,
    )
    images = [line.split() for line in listing.stdout.decode().strip().splitlines()[2:]]
    images = [row for row in images if row[2] == "image"]
    assert len(images) == 2
    # Thumbnails, not the 3000 × 2000 original.
    assert all(int(row[3]) <= EDGE and int(row[4]) <= EDGE for row in images)


def test_the_photos_stay_when_signatures_lock_the_results(world):
    staff = world.users["county_a_staff"]
    _, photo = photo_of_first_result(world.draft_a, staff)
    sign_on_site(world.draft_a, staff)
    with pytest.raises(ValidationError):
        photo_of_first_result(world.draft_a, staff)
    assert evidence_for(world.draft_a.results.order_by("item__position").first()).get() == photo
