"""Signatures on site (签字留痕): the team and the institution's representative sign the recorded
results; a representative may refuse, with the reason; the draft waits for both."""

import base64
import hashlib
import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from audit_portal.core.evidence import evidence_for
from inspections.models import Inspection, InspectionSignature
from inspections.services.inspections import inspection_record, inspection_submit
from inspections.services.signatures import (
    signature_record,
    signature_refusal_record,
    signatures_missing,
)
from tests.inspections.factories import sign_on_site, signature_png, started_inspection

pytestmark = pytest.mark.django_db

Role = InspectionSignature.Role


def _all_conform(inspection, actor):
    inspection_record(
        inspection=inspection,
        actor=actor,
        results={row.pk: {"result": "conforms"} for row in inspection.results.all()},
    )


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


@pytest.fixture
def lead(world):
    return world.users["county_a_staff"]


@pytest.fixture
def draft(world, lead):
    _all_conform(world.draft_a, lead)
    return world.draft_a


def test_the_lead_signs_and_the_png_is_kept_with_its_hash(draft, lead):
    signature = signature_record(inspection=draft, actor=lead, signer=lead, image=signature_png())
    assert signature.role == Role.LEAD
    assert signature.signer_name == lead.get_full_name()
    with signature.image.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == signature.sha256
    assert signature.image.media_type == "image/png"
    assert list(evidence_for(draft)) == [signature.image]
    assert signature.history.get().history_user == lead


def test_another_member_signs_as_a_member(world, lead):
    city = world.users["city_staff"]
    inspection = started_inspection(world.institution_a, lead, team=[city])
    signature = signature_record(
        inspection=inspection, actor=lead, signer=city, image=signature_png()
    )
    assert signature.role == Role.MEMBER
    assert signature.recorded_by == lead  # signed on the lead's phone


def test_the_representative_signs_by_name_without_an_account(draft, lead):
    signature = signature_record(
        inspection=draft,
        actor=lead,
        signer_name=" 王院长 ",
        signer_position="院长",
        image=signature_png(),
    )
    assert (signature.role, signature.signer_id, signature.signer_name) == (
        Role.INSTITUTION,
        None,
        "王院长",
    )


def test_the_representative_needs_a_name(draft, lead):
    with pytest.raises(ValidationError) as error:
        signature_record(inspection=draft, actor=lead, signer_name=" ", image=signature_png())
    assert "signer_name" in error.value.error_dict


def test_a_blank_pad_is_refused(draft, lead):
    out = io.BytesIO()
    Image.new("RGBA", (300, 100), (0, 0, 0, 0)).save(out, format="PNG")
    for image in (b"", out.getvalue()):
        with pytest.raises(ValidationError) as error:
            signature_record(inspection=draft, actor=lead, signer=lead, image=image)
        assert "signature" in error.value.error_dict
    assert not InspectionSignature.objects.filter(inspection=draft).exists()


def test_something_other_than_a_png_is_refused_by_the_evidence_rules(draft, lead):
    with pytest.raises(ValidationError):
        signature_record(inspection=draft, actor=lead, signer=lead, image=b"<svg onload=x>")
    assert not InspectionSignature.objects.filter(inspection=draft).exists()


def test_a_member_signs_only_once(draft, lead):
    signature_record(inspection=draft, actor=lead, signer=lead, image=signature_png())
    with pytest.raises(ValidationError):
        signature_record(inspection=draft, actor=lead, signer=lead, image=signature_png())
    assert draft.signatures.count() == 1


def test_someone_outside_the_team_is_not_a_signer(world, draft, lead):
    with pytest.raises(ValidationError) as error:
        signature_record(
            inspection=draft, actor=lead, signer=world.users["city_staff"], image=signature_png()
        )
    assert "signer" in error.value.error_dict


def test_only_the_team_records_signatures(world, draft):
    with pytest.raises(PermissionDenied):
        signature_record(
            inspection=draft,
            actor=world.users["city_staff"],
            signer_name="王院长",
            image=signature_png(),
        )


def test_the_representative_refuses_with_the_reason(draft, lead):
    refusal = signature_refusal_record(
        inspection=draft, actor=lead, signer_name="王院长", reason="对消防检查结论有异议"
    )
    assert refusal.is_refusal and refusal.role == Role.INSTITUTION
    assert (refusal.image, refusal.sha256) == (None, "")
    assert "对消防检查结论有异议" in refusal.history.get().history_change_reason


def test_a_refusal_needs_a_reason_and_a_name(draft, lead):
    with pytest.raises(ValidationError) as error:
        signature_refusal_record(inspection=draft, actor=lead, signer_name="", reason=" ")
    assert {"signer_name", "reason"} <= set(error.value.error_dict)


def test_the_representative_signs_or_refuses_once(draft, lead):
    signature_refusal_record(inspection=draft, actor=lead, signer_name="王院长", reason="不同意")
    with pytest.raises(ValidationError):
        signature_record(inspection=draft, actor=lead, signer_name="王院长", image=signature_png())
    with pytest.raises(ValidationError):
        signature_refusal_record(inspection=draft, actor=lead, signer_name="李四", reason="不同意")


def test_the_draft_waits_for_the_lead_and_the_representative(draft, lead):
    assert len(signatures_missing(draft)) == 2
    with pytest.raises(ValidationError):
        inspection_submit(inspection=draft, actor=lead)
    signature_record(inspection=draft, actor=lead, signer=lead, image=signature_png())
    with pytest.raises(ValidationError) as error:
        inspection_submit(inspection=draft, actor=lead)
    assert "representative" in str(error.value) or "代表" in str(error.value)
    draft.refresh_from_db()
    assert draft.status == Inspection.Status.IN_PROGRESS


def test_a_recorded_refusal_lets_the_draft_be_submitted(draft, lead):
    signature_record(inspection=draft, actor=lead, signer=lead, image=signature_png())
    signature_refusal_record(inspection=draft, actor=lead, signer_name="王院长", reason="不同意")
    inspection_submit(inspection=draft, actor=lead)
    draft.refresh_from_db()
    assert draft.status == Inspection.Status.SUBMITTED


def test_the_results_are_locked_once_signed(draft, lead, client_for):
    signature_record(inspection=draft, actor=lead, signer=lead, image=signature_png())
    row = draft.results.first()
    with pytest.raises(ValidationError):
        inspection_record(
            inspection=draft,
            actor=lead,
            results={row.pk: {"result": "nonconforming", "note": "改了"}},
        )
    response = client_for("county_a_staff").get(
        reverse("inspections:inspection_record", args=[draft.pk])
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.result == "conforms"


def test_no_signature_after_the_draft_is_submitted(draft, lead):
    sign_on_site(draft, lead)
    inspection_submit(inspection=draft, actor=lead)
    with pytest.raises(ValidationError):
        signature_refusal_record(inspection=draft, actor=lead, signer_name="李四", reason="x")


# The page ------------------------------------------------------------------------------


def sign_url(inspection) -> str:
    return reverse("inspections:inspection_sign", args=[inspection.pk])


def test_the_page_offers_the_pad_from_a_static_script(draft, client_for):
    page = client_for("county_a_staff").get(sign_url(draft)).content.decode()
    assert 'id="signature-canvas"' in page
    assert "inspections/vendor/signature_pad.umd.min.js" in page
    assert "inspections/signature.js" in page
    assert "<script>" not in page  # CSP: no inline script


def test_the_page_saves_a_drawn_signature(draft, lead, client_for):
    response = client_for("county_a_staff").post(
        sign_url(draft), {"signer": str(lead.pk), "signature": _data_url(signature_png())}
    )
    assert response.status_code == 302
    assert draft.signatures.get().signer == lead


def test_the_page_saves_the_representatives_signature(draft, client_for):
    response = client_for("county_a_staff").post(
        sign_url(draft),
        {
            "signer": "institution",
            "signer_name": "王院长",
            "signer_position": "院长",
            "signature": _data_url(signature_png()),
        },
    )
    assert response.status_code == 302
    signature = draft.signatures.get()
    assert (signature.role, signature.signer_position) == (Role.INSTITUTION, "院长")


@pytest.mark.parametrize(
    "value", ["", "data:image/svg+xml;base64,PHN2Zz4=", "data:image/png;base64,@@@"]
)
def test_the_page_refuses_what_is_not_a_png_signature(draft, lead, client_for, value):
    response = client_for("county_a_staff").post(
        sign_url(draft), {"signer": str(lead.pk), "signature": value}
    )
    assert response.status_code == 400
    assert not draft.signatures.exists()


def test_the_page_records_a_refusal(draft, client_for):
    response = client_for("county_a_staff").post(
        reverse("inspections:inspection_sign_refusal", args=[draft.pk]),
        {"refusal-signer_name": "王院长", "refusal-reason": "对结论有异议"},
    )
    assert response.status_code == 302
    assert draft.signatures.get().refusal_reason == "对结论有异议"


def test_a_refusal_without_a_reason_is_shown_again(draft, client_for):
    response = client_for("county_a_staff").post(
        reverse("inspections:inspection_sign_refusal", args=[draft.pk]),
        {"refusal-signer_name": "王院长", "refusal-reason": ""},
    )
    assert response.status_code == 400
    assert not draft.signatures.exists()


def test_an_outsider_gets_404_and_staff_off_the_team_403(draft, client_for):
    assert client_for("county_b_staff").get(sign_url(draft)).status_code == 404
    response = client_for("city_staff").post(
        sign_url(draft), {"signer": "institution", "signer_name": "x", "signature": ""}
    )
    assert response.status_code == 403
    assert not draft.signatures.exists()


def test_the_inspection_page_shows_the_signatures(draft, lead, client_for):
    signature = signature_record(inspection=draft, actor=lead, signer=lead, image=signature_png())
    signature_refusal_record(inspection=draft, actor=lead, signer_name="王院长", reason="不同意")
    page = client_for("county_a_staff").get(
        reverse("inspections:inspection_detail", args=[draft.pk])
    )
    text = page.content.decode()
    assert reverse("evidence_thumbnail", args=[signature.image_id]) in text
    assert "不同意" in text and "王院长" in text
    thumb = client_for("county_a_staff").get(
        reverse("evidence_thumbnail", args=[signature.image_id])
    )
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"


def test_the_submit_page_asks_for_the_signatures(draft, client_for):
    page = client_for("county_a_staff").get(
        reverse("inspections:inspection_submit", args=[draft.pk])
    )
    assert sign_url(draft) in page.content.decode()


def test_the_report_pdf_carries_the_signatures(draft, lead, client_for, tmp_path):
    sign_on_site(draft, lead)
    response = client_for("county_a_staff").get(
        reverse("inspections:inspection_pdf", args=[draft.pk])
    )
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    listing = subprocess.run(  # noqa: S603 - a fixed command on a file of the test
        ["pdfimages", "-list", str(path)],  # noqa: S607 - poppler-utils, a listed dependency
        capture_output=True,
        check=True,
    )
    # Two header lines, then one line per image (and per transparency mask): the lead's and
    # the representative's, as the PNGs they signed.
    images = [line.split() for line in listing.stdout.decode().strip().splitlines()[2:]]
    assert [(row[2], row[3], row[4]) for row in images if row[2] == "image"] == [
        ("image", "300", "100")
    ] * 2


def test_a_huge_picture_is_not_decoded_as_a_signature(draft, lead):
    out = io.BytesIO()
    Image.new("1", (5000, 5000), 1).save(out, format="PNG")  # tiny file, 25 million pixels
    with pytest.raises(ValidationError) as error:
        signature_record(inspection=draft, actor=lead, signer=lead, image=out.getvalue())
    assert "signature" in error.value.error_dict
