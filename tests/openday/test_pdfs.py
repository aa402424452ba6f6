"""The open day's PDFs, rendered for real by the worker's builders (the permission matrix
replaces the layout step): the public summary and posters, rendered once at publication in
every language and then only served, and the staff preview, a file the staff member asks for."""

import shutil
import subprocess

import pytest
from django.test import TestCase
from django.urls import reverse

from audit_portal.core import pdf
from audit_portal.core.models import GeneratedFile
from openday import files, services
from openday.models import Summary
from tests.file_jobs import download, post_and_build
from tests.files import MINIMAL_PDF

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

Status = GeneratedFile.Status


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 — a fixed tool on a file the test wrote
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def served(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


class NoRendering:
    def __init__(self, **kwargs):
        raise AssertionError("a public request rendered a PDF")


def publish(world, summary: Summary) -> None:
    """Approve and publish ``summary``, letting the worker render what publication queued."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.summary_approve(summary=summary, actor=world.approver)
        services.summary_publish(summary=summary, actor=world.approver)


# The staff preview -------------------------------------------------------------------------


def test_the_preview_of_a_draft_is_a_watermarked_pdf_of_the_summary(world, client_for, tmp_path):
    client = client_for("city_staff")
    response, job = post_and_build(
        client, reverse("openday:summary_preview", kwargs={"pk": world.draft.pk})
    )
    assert response["Location"] == reverse("files:detail", args=[job.pk])
    assert (job.kind, job.status, job.owner) == (
        files.PREVIEW_KIND,
        Status.DONE,
        world.users["city_staff"],
    )
    text = pdf_text(download(client, job), tmp_path)
    assert "2027" in text and "开放日" in text
    # The watermark is drawn rotated: pdftotext gives its characters out of order.
    assert set("预览未发布") <= set(text)


def test_the_preview_of_a_published_summary_has_no_watermark(world, client_for, tmp_path):
    client = client_for("county_b_staff")
    _response, job = post_and_build(
        client, reverse("openday:summary_preview", kwargs={"pk": world.summary.pk})
    )
    text = pdf_text(download(client, job), tmp_path)
    assert "2026" in text and "开放日" in text
    assert not set("预览") & set(text)


# The public PDFs ---------------------------------------------------------------------------


def test_publishing_renders_the_summary_and_every_poster_once_in_every_language(
    world, client, tmp_path, monkeypatch
):
    draft = world.draft
    publish(world, draft)
    institutions = list(draft.entries.values_list("institution_id", flat=True))
    keys = {files.summary_key(draft.pk, language) for language in files.languages()} | {
        files.poster_key(draft.pk, institution, language)
        for institution in institutions
        for language in files.languages()
    }
    jobs = GeneratedFile.objects.filter(key__startswith=f"openday:{draft.pk}:")
    assert set(jobs.values_list("key", flat=True)) == keys
    assert set(jobs.values_list("status", flat=True)) == {Status.DONE}
    assert all(job.owner is None and job.requested_by == world.approver for job in jobs)

    # From here on nothing renders: the public URLs serve the stored files.
    monkeypatch.setattr(pdf, "HTML", NoRendering)
    response = client.get(reverse("openday:summary_pdf", kwargs={"year": 2027}))
    assert response["Content-Disposition"].startswith("inline")
    assert "public" in response["Cache-Control"]
    assert "2027" in pdf_text(served(response), tmp_path)
    poster = client.get(
        reverse("openday:poster", kwargs={"year": 2027, "institution": world.institution_a.pk})
    )
    text = pdf_text(served(poster), tmp_path)
    assert world.institution_a.name in text
    assert world.visit_day.meeting_point in text  # the visits arranged for 2027
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse("openday:summary_pdf", kwargs={"year": 2027}))
    assert "Open day 2027" in pdf_text(served(english), tmp_path)


def test_a_pdf_not_stored_yet_is_a_page_asking_to_come_back(world, client, monkeypatch):
    draft = world.draft
    services.summary_approve(summary=draft, actor=world.approver)
    services.summary_publish(summary=draft, actor=world.approver)  # the worker has not run
    monkeypatch.setattr(pdf, "HTML", NoRendering)
    with TestCase.captureOnCommitCallbacks() as queued:
        response = client.get(reverse("openday:summary_pdf", kwargs={"year": 2027}))
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "no-store" in response["Cache-Control"]
    assert "openday/public/pdf_pending.html" in [t.name for t in response.templates]
    # A public request starts no work.
    assert queued == []
    assert not GeneratedFile.objects.filter(key__startswith=f"openday:{draft.pk}:").exists()


def test_a_correction_renders_the_replaced_versions_pdf_again(world, client, tmp_path):
    summary = world.summary
    correction = services.summary_correct(
        summary=summary, actor=world.users["city_staff"], reason="漏录一条问题"
    )
    publish(world, correction)
    old = client.get(reverse("openday:summary_pdf", kwargs={"year": 2026, "version": 1}))
    assert "已被更正版本取代" in pdf_text(served(old), tmp_path)
    current = client.get(reverse("openday:summary_pdf", kwargs={"year": 2026}))
    assert "漏录一条问题" in pdf_text(served(current), tmp_path)
    # The replaced version's posters do not change: not rendered again.
    assert not GeneratedFile.objects.filter(
        key__startswith=f"openday:{summary.pk}:poster:", requested_by=world.approver
    ).exists()


def test_staff_render_the_public_pdfs_again(world, client_for, client, tmp_path):
    summary = world.summary
    placeholder = client.get(reverse("openday:summary_pdf", kwargs={"year": 2026}))
    assert served(placeholder) == MINIMAL_PDF  # the world's stand-in
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for("city_staff").post(
            reverse("openday:summary_render_files", kwargs={"pk": summary.pk})
        )
    assert response.status_code == 302
    rendered = client.get(reverse("openday:summary_pdf", kwargs={"year": 2026}))
    assert "2026" in pdf_text(served(rendered), tmp_path)
    status = files.public_files_status(summary)
    assert status["ready"] == status["expected"] and status["failed"] == 0
    page = client_for("city_staff").get(reverse("openday:summary_detail", args=[summary.pk]))
    assert page.context["public_files"] == status


def test_new_visit_arrangements_render_the_poster_again(world, client, tmp_path):
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.visit_day_set(
            institution=world.institution_a,
            year=2026,
            capacity=30,
            hours="14:00–16:00",
            meeting_point="福利院东门",
            registration_open=True,
            actor=world.users["county_a_staff"],
        )
    poster = client.get(
        reverse("openday:poster", kwargs={"year": 2026, "institution": world.institution_a.pk})
    )
    assert "福利院东门" in pdf_text(served(poster), tmp_path)
    # Only that institution's poster: the summary and the other posters are not rendered again.
    rendered = GeneratedFile.objects.filter(
        requested_by=world.users["county_a_staff"], key__startswith="openday:"
    )
    assert {job.kind for job in rendered} == {files.POSTER_KIND}
    assert {job.parameters["institution"] for job in rendered} == {world.institution_a.pk}
