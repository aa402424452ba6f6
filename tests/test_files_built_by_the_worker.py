"""Every export and every PDF of many records is built by the worker (issue 14): its URL queues
a task and renders nothing in the request. The public open-day PDFs render nothing and queue
nothing: they serve the files stored at publication, and publishing only queues their build.
One-record PDFs (an inspection report, a notice, an incident record, a letter) still render in
the request: they take well under a second."""

import pytest
from django.test import TestCase
from django.urls import reverse
from django_tasks import task_backends

from audit_portal.core import pdf, xlsx
from audit_portal.core.models import GeneratedFile
from openday import services
from tests.test_permission_matrix import named_urls

BUILD = "audit_portal.core.files.tasks.build_file"

# (url name, its kwargs, who asks, the kind of file, query string)
ASKED_FOR = [
    ("inspections:issue_ledger_export", None, "county_a_staff", "inspections.issue_ledger", ""),
    (
        "inspections:issue_ledger_export",
        None,
        "institution_user",
        "inspections.issue_ledger",
        "?status=&area=fire_safety",
    ),
    ("inspections:report_export", None, "city_staff", "inspections.report_ledger", ""),
    ("residents:resident_ledger_export", None, "station_staff", "residents.resident_ledger", ""),
    (
        "residents:resident_ledger_export",
        None,
        "county_a_staff",
        "residents.resident_ledger",
        "?status=in_care",
    ),
    ("residents:return_ledger_export", None, "city_staff", "residents.return_ledger", ""),
    (
        "openday:summary_preview",
        lambda w: {"pk": w.draft.pk},
        "county_a_staff",
        "openday.preview_pdf",
        "",
    ),
]
PUBLIC_PDFS = [
    ("openday:summary_pdf", lambda w: {"year": 2026}),
    ("openday:summary_pdf", lambda w: {"year": 2026, "version": 1}),
    ("openday:poster", lambda w: {"year": 2026, "institution": w.institution_a.pk}),
    ("openday:poster", lambda w: {"year": 2026, "version": 1, "institution": w.institution_b.pk}),
]


class Forbidden:
    def __init__(self, *args, **kwargs):
        raise AssertionError("rendered inside the request")


@pytest.fixture
def nothing_renders(monkeypatch):
    monkeypatch.setattr(pdf, "HTML", Forbidden)
    monkeypatch.setattr(xlsx.xlsxwriter, "Workbook", Forbidden)


@pytest.fixture
def queued(settings):
    """The tasks queued, kept by the dummy backend instead of run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend.results


def test_every_export_url_is_among_those_checked():
    exports = {name for name in named_urls() if "export" in name}
    assert exports <= {name for name, *_rest in ASKED_FOR}


@pytest.mark.parametrize(("name", "kwargs", "persona", "kind", "query"), ASKED_FOR)
def test_asking_for_the_file_queues_its_build_and_renders_nothing(
    name, kwargs, persona, kind, query, world, client_for, nothing_renders, queued
):
    url = reverse(name, kwargs=kwargs(world) if kwargs else None) + query
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(persona).post(url)
    job = GeneratedFile.objects.get(kind=kind)
    assert response.status_code == 302
    assert response["Location"] == reverse("files:detail", args=[job.pk])
    assert (job.owner, job.status) == (world.users[persona], GeneratedFile.Status.QUEUED)
    assert [(r.task.module_path, r.args) for r in queued] == [(BUILD, [str(job.pk), 1])]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PDFS)
def test_a_public_pdf_is_served_as_stored_and_starts_no_work(
    name, kwargs, world, client, nothing_renders, queued
):
    before = GeneratedFile.objects.count()
    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = client.get(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert callbacks == [] and queued == []
    assert GeneratedFile.objects.count() == before


def test_publishing_queues_the_public_pdfs_and_renders_nothing(
    world, client_for, nothing_renders, queued
):
    draft = world.draft
    services.summary_approve(summary=draft, actor=world.approver)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for("city_staff").post(
            reverse("openday:summary_publish", args=[draft.pk])
        )
    assert response.status_code == 302
    assert [(r.task.module_path, r.args[0]) for r in queued] == [
        ("openday.tasks.render_public_files", draft.pk)
    ]
