"""Generated files in tests: run the builds a request queued, download a built file, and store
a ready file without building it (for worlds that only need one to exist)."""

import datetime

from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import resolve, reverse
from django.utils import timezone

from audit_portal.core.models import GeneratedFile


def post_and_build(client, url: str, data=None):
    """POST ``url`` (a page asking for a file), let the worker build what it queued (the
    immediate task backend, once the request's transaction commits), and return the response
    and the file whose progress page it redirects to (None if it does not)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    if response.status_code != 302:
        return response, None
    match = resolve(response["Location"])
    if match.view_name != "files:detail":
        return response, None
    return response, GeneratedFile.objects.get(pk=match.kwargs["pk"])


def download(client, job: GeneratedFile) -> bytes:
    response = client.get(reverse("files:download", args=[job.pk]))
    assert response.status_code == 200, (response.status_code, job.status, job.error)
    return b"".join(response.streaming_content)


def ready_file(
    *,
    owner=None,
    key: str = "",
    content: bytes = b"%PDF-1.4\n%%EOF\n",
    filename: str = "file.pdf",
    content_type: str = "application/pdf",
    kind: str = "tests.file",
    title: str = "测试文件",
) -> GeneratedFile:
    now = timezone.now()
    job = GeneratedFile(
        owner=owner,
        requested_by=owner,
        kind=kind,
        key=key,
        title=title,
        language="zh-hans",
        status=GeneratedFile.Status.DONE,
        done=1,
        total=1,
        filename=filename,
        content_type=content_type,
        size=len(content),
        started_at=now,
        heartbeat_at=now,
        finished_at=now,
        expires_at=now + datetime.timedelta(days=7) if owner else None,
    )
    job.file.save(filename, ContentFile(content), save=False)
    job.save()
    return job
