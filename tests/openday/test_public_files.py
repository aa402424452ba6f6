"""The public PDFs of summaries published before they were stored: ``manage.py
render_public_files`` queues the missing ones (the worker renders them); staff of the bureau
that publishes may render a public version's PDFs again, nobody a draft's."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import TestCase
from django_tasks import task_backends

from audit_portal.core.models import GeneratedFile
from openday import files


@pytest.fixture
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend.results


def test_the_command_queues_only_the_files_not_stored(world, queued):
    summary = world.summary
    entries = summary.entries.count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("render_public_files", stdout=StringIO())
    asked = GeneratedFile.objects.filter(
        key__startswith=f"openday:{summary.pk}:", status=GeneratedFile.Status.QUEUED
    )
    # The world stored the site's first language only: the English files are missing.
    assert asked.count() == 1 + entries
    assert {job.language for job in asked} == {"en"}
    assert len(queued) == 1 + entries
    # Asking again queues nothing more: the files are waiting for the worker.
    call_command("render_public_files", stdout=StringIO())
    assert asked.count() == 1 + entries


def test_the_command_renders_every_file_again_when_asked(world, queued):
    out = StringIO()
    call_command("render_public_files", "--all", "--year", "2026", stdout=out)
    expected = (1 + world.summary.entries.count()) * len(files.languages())
    assert f"{expected} file(s) queued" in out.getvalue()


def test_only_the_publishing_bureau_renders_the_files_of_a_public_version(world):
    with pytest.raises(PermissionDenied):
        files.summary_render_files(summary=world.summary, actor=world.users["county_a_staff"])
    with pytest.raises(ValidationError):
        files.summary_render_files(summary=world.draft, actor=world.users["city_staff"])
