"""Writes of generated files: ask for one, start one again, note its download, purge the files
past their keeping time. Each build is queued only once the row is committed, so the worker
never looks for a row that is not there yet."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit_portal.core.files.policies import file_policy
from audit_portal.core.files.registry import builder_for
from audit_portal.core.models import GeneratedFile

logger = logging.getLogger(__name__)

Status = GeneratedFile.Status
# A user waits for the file they asked for; files published for the public do not keep anyone
# waiting, so they go after (django-tasks runs higher priorities first).
USER_PRIORITY = 10
PUBLISHED_PRIORITY = -10


def _enqueue(job: GeneratedFile, priority: int) -> None:
    from audit_portal.core.files.tasks import build_file

    pk, attempt = str(job.pk), job.attempt
    transaction.on_commit(lambda: build_file.using(priority=priority).enqueue(pk, attempt))


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


@transaction.atomic
def file_request(
    *,
    owner,
    kind: str,
    title: str,
    parameters: dict,
    criteria: Iterable[tuple[str, object]] = (),
) -> GeneratedFile:
    """Ask the worker for a file of ``kind`` for ``owner`` (who alone downloads it), built in
    the language of the request. ``parameters`` is what the builder needs to build it again
    (JSON); ``criteria`` the filters in words, for the pages and the record."""
    builder_for(kind)  # a kind nobody builds is a mistake here, not in the worker
    job = GeneratedFile(
        owner=owner,
        requested_by=owner,
        kind=kind,
        title=str(title)[:200],
        parameters=parameters,
        criteria=[[str(label), str(value)] for label, value in criteria],
        language=_language(),
    )
    job.save()
    _enqueue(job, USER_PRIORITY)
    return job


@transaction.atomic
def file_publish(
    *,
    kind: str,
    key: str,
    title: str,
    parameters: dict,
    language: str,
    requested_by=None,
) -> GeneratedFile:
    """Build a file the system publishes under ``key`` (no owner); it replaces the file of
    that key once ready. A build of the key still waiting to start is enough: it reads the
    records when it starts."""
    builder_for(kind)
    waiting = (
        GeneratedFile.objects.filter(key=key, status=Status.QUEUED).order_by("-created_at").first()
    )
    if waiting is not None and not waiting.is_stalled():
        return waiting
    job = GeneratedFile(
        requested_by=requested_by,
        kind=kind,
        key=key,
        title=str(title)[:200],
        parameters=parameters,
        language=language,
    )
    job.save()
    _enqueue(job, PUBLISHED_PRIORITY)
    return job


@transaction.atomic
def file_retry(*, job: GeneratedFile, actor) -> GeneratedFile:
    """Start again a file that failed, or that the worker stopped building: a new attempt, so
    a run of the earlier one that is somehow still going can no longer write."""
    job = GeneratedFile.objects.select_for_update().get(pk=job.pk)
    file_policy.require("retry", actor, job)
    job.attempt += 1
    job.status = Status.QUEUED
    job.done, job.total = 0, None
    job.error = ""
    job.started_at = job.finished_at = None
    job.heartbeat_at = timezone.now()
    job.save()
    _enqueue(job, USER_PRIORITY)
    return job


def file_downloaded(*, job: GeneratedFile) -> None:
    """The owner downloaded the file: it no longer counts as waiting for them."""
    if job.downloaded_at is None:
        job.downloaded_at = timezone.now()
        GeneratedFile.objects.filter(pk=job.pk, downloaded_at__isnull=True).update(
            downloaded_at=job.downloaded_at
        )


def files_fail_stalled(now=None) -> int:
    """Mark as failed the builds the worker stopped (not heard of for
    ``generated_file_stalled_minutes``), so their owners read why and may start them again."""
    now = now or timezone.now()
    failed = 0
    pending = GeneratedFile.objects.filter(status__in=[Status.QUEUED, Status.RUNNING])
    for job in pending.iterator():
        if not job.is_stalled(now):
            continue
        with translation.override(job.language):
            error = _("The worker stopped before the file was ready. Start it again.")
        failed += GeneratedFile.objects.filter(
            pk=job.pk, attempt=job.attempt, status=job.status
        ).update(status=Status.FAILED, error=error, finished_at=now)
    return failed


def files_purge(now=None) -> int:
    """Delete the stored files past their keeping time; the rows stay as the record."""
    now = now or timezone.now()
    purged = 0
    expired = GeneratedFile.objects.filter(expires_at__lte=now, purged_at__isnull=True)
    for job in expired.exclude(file="").iterator():
        job.file.delete(save=False)
        purged += GeneratedFile.objects.filter(pk=job.pk).update(file="", purged_at=now)
    return purged
