"""One build of a generated file, as the worker runs it: claim the job, run its builder with a
progress callback, store the file or record why it failed.

A run belongs to one attempt of its job: when the owner starts a stopped job again, the new
attempt is queued and whatever an earlier run still does can no longer write (every write is
conditional on the attempt), so a job never ends up in two states at once."""

import datetime
import logging
import time
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit_portal.core.files.registry import BuildRefused, Output, builder_for
from audit_portal.core.models import GeneratedFile
from audit_portal.rules import rules

logger = logging.getLogger(__name__)

Status = GeneratedFile.Status


class Superseded(Exception):
    """The job was started again (or is gone) while this run was under way: it stops."""


class Progress:
    """What a builder reports: ``start(total)`` once it knows how much there is, then
    ``advance(n)`` as it goes (every few hundred rows). Each report is written at once, so the
    progress page shows it; writes closer together than ``min_interval`` seconds are skipped
    (the last one is always written by the run when it stores the file)."""

    min_interval = 0.5

    def __init__(self, job: GeneratedFile):
        self.job = job
        self.done = 0
        self.total: int | None = None
        self._written = 0.0

    def start(self, total: int | None) -> None:
        self.total = total
        self._write()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if time.monotonic() - self._written >= self.min_interval:
            self._write()

    def _write(self) -> None:
        done = self.done if self.total is None else min(self.done, self.total)
        written = _mine(self.job).update(done=done, total=self.total, heartbeat_at=timezone.now())
        if not written:
            raise Superseded
        self._written = time.monotonic()


def _mine(job: GeneratedFile):
    """The job's row, as long as this run's attempt is the one running."""
    return GeneratedFile.objects.filter(pk=job.pk, attempt=job.attempt, status=Status.RUNNING)


def run(job_id: str, attempt: int) -> str:
    """Build the file of one attempt of a job; returns what became of it."""
    now = timezone.now()
    claimed = GeneratedFile.objects.filter(pk=job_id, attempt=attempt, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return "skipped"  # started again since, failed as stopped, or already built
    job = GeneratedFile.objects.select_related("owner").get(pk=job_id)
    try:
        with translation.override(job.language):
            if job.owner is not None and not job.owner.is_active:
                raise BuildRefused(_("The account that asked for this file is no longer active."))
            progress = Progress(job)
            output = builder_for(job.kind)(job, progress)
            _store(job, output, progress)
    except Superseded:
        return "superseded"
    except (BuildRefused, PermissionDenied, ValidationError) as refusal:
        with translation.override(job.language):
            _fail(job, _refusal_message(refusal))
        return "refused"
    except Exception:
        # The owner reads that it failed and may try again; the details are for the log.
        logger.exception("Building generated file %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language):
            _fail(
                job,
                _(
                    "The file could not be built. Try again; if it fails again, tell the "
                    "administrator."
                ),
            )
        return "failed"
    return "done"


def _refusal_message(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    if isinstance(refusal, PermissionDenied) or not str(refusal):
        return str(refusal) or _("You may no longer see these records.")
    return str(refusal)


def _fail(job: GeneratedFile, message: str) -> None:
    _mine(job).update(status=Status.FAILED, error=message, finished_at=timezone.now())


def _store(job: GeneratedFile, output: Output, progress: Progress) -> None:
    content: IO[bytes] | None = None
    try:
        if isinstance(output.content, bytes):
            content = ContentFile(output.content)
        else:
            content = File(output.content)
            content.seek(0)
        job.file.save(output.filename, content, save=False)
    finally:
        if content is not None:
            content.close()
    now = timezone.now()
    fields = {
        "done": progress.done if progress.total is None else progress.total,
        "total": progress.total if progress.total is not None else progress.done,
        "status": Status.DONE,
        "file": job.file.name,
        "filename": output.filename[:200],
        "content_type": output.content_type,
        "size": job.file.size,
        "finished_at": now,
        "heartbeat_at": now,
        # A user's file is kept for a set time; a published one until a newer replaces it.
        "expires_at": None if job.key else now + _keeping_time(),
    }
    if not _mine(job).update(**fields):
        job.file.delete(save=False)  # started again meanwhile: this file is nobody's
        raise Superseded
    if job.key:
        _replace_older(job, now)


def _keeping_time() -> datetime.timedelta:
    return datetime.timedelta(days=rules().generated_file_days)


def _replace_older(job: GeneratedFile, now: datetime.datetime) -> None:
    """A published file replaces the older files of its key (they expire now and are purged);
    if a newer one was ready first, this one is the older."""
    same_key = GeneratedFile.objects.filter(key=job.key, status=Status.DONE, purged_at__isnull=True)
    if same_key.filter(created_at__gt=job.created_at).exists():
        GeneratedFile.objects.filter(pk=job.pk).update(expires_at=now)
        return
    same_key.filter(created_at__lt=job.created_at).filter(expires_at__isnull=True).update(
        expires_at=now
    )
