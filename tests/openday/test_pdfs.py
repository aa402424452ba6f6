"""The staff preview of an open-day summary is the public PDF, watermarked while unpublished
(rendered for real here; the permission matrix replaces the layout step)."""

import shutil
import subprocess

import pytest
from django.urls import reverse

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "preview.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 — a fixed tool on a file the test wrote
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_preview_of_a_draft_is_a_watermarked_pdf_of_the_summary(world, client_for, tmp_path):
    response = client_for("city_staff").get(
        reverse("openday:summary_preview_pdf", kwargs={"pk": world.draft.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "2027" in text and "开放日" in text
    # The watermark is drawn rotated: pdftotext gives its characters out of order.
    assert set("预览未发布") <= set(text)


def test_the_preview_of_a_published_summary_has_no_watermark(world, client_for, tmp_path):
    response = client_for("city_staff").get(
        reverse("openday:summary_preview_pdf", kwargs={"pk": world.summary.pk})
    )
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "2026" in text and "开放日" in text
    assert not set("预览") & set(text)
