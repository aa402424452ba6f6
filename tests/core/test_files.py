"""Files built by the worker (``audit_portal/core/files``): asked for, built with progress,
failed with a reason, started again, purged, and published under a key. Their pages are
``test_file_pages``."""

import datetime
import logging
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone, translation

from audit_portal.core.files import runner, services
from audit_portal.core.files.policies import file_policy
from audit_portal.core.files.registry import Output, register_builder
from audit_portal.core.files.selectors import published_file
from audit_portal.core.models import GeneratedFile
from tests.core.file_helpers import SECRET, Status, build_rows, built, request_file, stalled
from tests.file_jobs import ready_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("file_builders")]


# The lifecycle ---------------------------------------------------------------------------------


def test_a_requested_file_waits_until_the_request_commits(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        job = request_file(alice)
    assert len(queued) == 1
    job.refresh_from_db()
    assert job.status == Status.QUEUED and not job.file
    assert (job.owner, job.requested_by, job.language) == (alice, alice, "zh-hans")
    assert job.criteria == [["县（区）", "东湖区民政局"]]


def test_the_worker_builds_it_and_keeps_it_for_the_set_time(alice):
    job = built(alice, rows=3)
    assert job.status == Status.DONE
    assert (job.done, job.total) == (3, 3)
    assert job.file.read() == b"3 rows"
    assert (job.filename, job.content_type, job.size) == ("rows.txt", "text/plain", 6)
    assert job.started_at <= job.finished_at
    assert job.expires_at == job.finished_at + datetime.timedelta(days=7)
    # Stored under a random name, not the name it is downloaded as.
    assert job.file.name.startswith("generated/") and "rows" not in job.file.name


def test_the_keeping_time_is_a_rule(alice, settings):
    settings.AUDIT_RULES_OVERRIDES = {"generated_file_days": 2}
    job = built(alice)
    assert job.expires_at == job.finished_at + datetime.timedelta(days=2)


def test_progress_is_written_as_the_builder_reports_it(alice):
    job = built(alice, kind="tests.look")
    assert job.file.read() == b"running 2/4"
    assert (job.done, job.total) == (4, 4)


def test_a_failure_is_recorded_for_the_owner_without_the_details(alice, caplog):
    with caplog.at_level(logging.ERROR):
        job = built(alice, kind="tests.boom")
    assert job.status == Status.FAILED
    with translation.override("zh-hans"):
        assert job.error == translation.gettext(
            "The file could not be built. Try again; if it fails again, tell the administrator."
        )
    assert SECRET not in job.error and "Traceback" not in job.error
    assert not job.file
    # The details are for the administrator's log.
    assert SECRET in caplog.text


def test_a_refusal_tells_the_owner_why(alice):
    job = built(alice, kind="tests.refused")
    assert (job.status, job.error) == (Status.FAILED, "你已无权查看这些记录。")


def test_nothing_is_built_for_an_account_no_longer_active(alice):

    with TestCase.captureOnCommitCallbacks() as queued:
        job = request_file(alice)
    alice.is_active = False
    alice.save()
    queued[0]()
    job.refresh_from_db()
    assert job.status == Status.FAILED and not job.file


def test_a_kind_nobody_builds_is_refused_when_asked_for(alice):
    with pytest.raises(LookupError):
        request_file(alice, kind="tests.nobody")


# Stopped builds --------------------------------------------------------------------------------


def test_a_build_not_heard_of_for_long_is_offered_again(alice):
    job = stalled(request_file(alice))
    assert job.is_stalled() and file_policy.allows("retry", alice, job)
    again = services.file_retry(job=job, actor=alice)
    assert (again.status, again.attempt, again.done, again.total) == (Status.QUEUED, 2, 0, None)
    assert not again.is_stalled()


def test_a_run_of_an_earlier_attempt_can_no_longer_write(alice):
    job = stalled(request_file(alice))
    GeneratedFile.objects.filter(pk=job.pk).update(status=Status.RUNNING)
    old_run = runner.Progress(GeneratedFile.objects.get(pk=job.pk))
    services.file_retry(job=job, actor=alice)
    with pytest.raises(runner.Superseded):
        old_run.start(10)
    # The task queued for the first attempt finds nothing to do.
    assert runner.run(str(job.pk), 1) == "skipped"
    assert runner.run(str(job.pk), 2) == "done"


def test_a_ready_or_running_file_is_not_started_again(alice):
    job = built(alice)
    with pytest.raises(ValidationError):
        services.file_retry(job=job, actor=alice)
    running = request_file(alice)
    assert not file_policy.allows("retry", alice, running)


def test_only_the_owner_starts_a_file_again(alice, bob):
    job = stalled(request_file(alice))
    assert file_policy.check("retry", bob, job).role


# Purge -----------------------------------------------------------------------------------------


def test_purge_deletes_expired_files_and_keeps_the_record(alice):
    expired, kept = built(alice), built(alice)
    published = ready_file(key="tests:published")
    GeneratedFile.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    name = expired.file.name
    out = StringIO()
    call_command("purge_files", stdout=out)
    assert "1" in out.getvalue()
    expired.refresh_from_db()
    assert not expired.file and expired.purged_at is not None
    assert not default_storage.exists(name)
    assert expired.title == "测试导出" and expired.criteria  # the record of the export stays
    kept.refresh_from_db()
    published.refresh_from_db()
    assert default_storage.exists(kept.file.name) and default_storage.exists(published.file.name)


def test_purge_marks_stopped_builds_as_failed(alice):
    job = stalled(request_file(alice), status=Status.QUEUED)
    waiting = request_file(alice)
    call_command("purge_files", stdout=StringIO())
    job.refresh_from_db()
    waiting.refresh_from_db()
    assert job.status == Status.FAILED and job.error
    assert waiting.status == Status.QUEUED


# Published files -------------------------------------------------------------------------------


def test_a_published_file_replaces_the_older_one_of_its_key():
    older = ready_file(key="tests:doc", content=b"%PDF old")
    assert published_file("tests:doc") == older
    register_builder(
        "tests.doc", lambda job, progress: Output("doc.pdf", "application/pdf", b"new")
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        newer = services.file_publish(
            kind="tests.doc", key="tests:doc", title="文件", parameters={}, language="zh-hans"
        )
    newer.refresh_from_db()
    older.refresh_from_db()
    assert published_file("tests:doc") == newer and newer.expires_at is None
    assert older.expires_at is not None  # purged with the next purge
    assert published_file("tests:other") is None


def test_a_published_file_waiting_to_be_built_is_not_asked_for_twice():
    register_builder("tests.doc", build_rows)
    first = services.file_publish(
        kind="tests.doc", key="tests:doc", title="文件", parameters={"rows": 1}, language="en"
    )
    second = services.file_publish(
        kind="tests.doc", key="tests:doc", title="文件", parameters={"rows": 1}, language="en"
    )
    assert first == second and GeneratedFile.objects.count() == 1
