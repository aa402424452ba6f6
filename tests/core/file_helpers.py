"""Builders and helpers for the tests of generated files (``tests/core/test_files*.py``)."""

import datetime

from django.test import TestCase
from django.utils import timezone

from audit_portal.core.files import services
from audit_portal.core.files.registry import BuildRefused, Output
from audit_portal.core.models import GeneratedFile

Status = GeneratedFile.Status
SECRET = "password=hunter2 in /srv/app/settings.py"


def build_rows(job, progress):
    rows = job.parameters["rows"]
    progress.start(rows)
    for _row in range(rows):
        progress.advance()
    return Output("rows.txt", "text/plain", f"{rows} rows".encode())


def build_and_look(job, progress):
    """Reads its own row half-way, as the progress page would."""
    progress.start(4)
    progress.advance(2)
    row = GeneratedFile.objects.get(pk=job.pk)
    return Output("seen.txt", "text/plain", f"{row.status} {row.done}/{row.total}".encode())


def build_boom(job, progress):
    raise RuntimeError(SECRET)


def build_refused(job, progress):
    raise BuildRefused("你已无权查看这些记录。")


BUILDERS = {
    "tests.rows": build_rows,
    "tests.look": build_and_look,
    "tests.boom": build_boom,
    "tests.refused": build_refused,
}


def request_file(owner, kind="tests.rows", **parameters) -> GeneratedFile:
    return services.file_request(
        owner=owner,
        kind=kind,
        title="测试导出",
        parameters=parameters or {"rows": 3},
        criteria=[("县（区）", "东湖区民政局")],
    )


def built(owner, kind="tests.rows", **parameters) -> GeneratedFile:
    """Asked for and built (the request's transaction committed, the worker ran)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = request_file(owner, kind, **parameters)
    job.refresh_from_db()
    return job


def stalled(job: GeneratedFile, status=Status.RUNNING) -> GeneratedFile:
    """Not heard of for longer than ``generated_file_stalled_minutes``."""
    long_ago = timezone.now() - datetime.timedelta(minutes=31)
    GeneratedFile.objects.filter(pk=job.pk).update(
        status=status, heartbeat_at=long_ago, created_at=long_ago
    )
    job.refresh_from_db()
    return job
