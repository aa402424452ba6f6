import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from audit_portal.core.audit_chain import HistoryChain
from audit_portal.rules import rules


class Regulated(models.Model):
    """A regulated record: every change is kept (django-simple-history) with who, when and why,
    and a change without a reason is refused whatever the code path (``core.history``). A model
    that keeps its history but needs no reason sets ``REASON_REQUIRED = False``."""

    history = HistoricalRecords(inherit=True, bases=[HistoryChain], m2m_bases=[HistoryChain])
    REASON_REQUIRED = True

    class Meta:
        abstract = True


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    # Random names: an uploaded file's name never reaches the file system.
    now = timezone.now()
    return f"evidence/{now:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class EvidenceFile(Regulated):
    """An uploaded scan or photo, attached to one record (its owner).

    Created only through ``audit_portal.core.evidence.evidence_attach``, which enforces the upload
    rules; served only through the permission-checked download view.
    """

    class Kind(models.TextChoices):
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        PDF = "application/pdf", "PDF"

    EXTENSIONS = {Kind.JPEG: ".jpg", Kind.PNG: ".png", Kind.PDF: ".pdf"}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    media_type = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    original_name = models.CharField(_("original file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="core_evidence_owner_idx")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return self.EXTENSIONS[self.Kind(self.media_type)]

    @property
    def is_image(self) -> bool:
        return self.media_type in (self.Kind.JPEG, self.Kind.PNG)


def generated_path(instance: "GeneratedFile", filename: str) -> str:
    # Random names, as for evidence: nothing the user typed reaches the file system.
    now = timezone.now()
    return f"generated/{now:%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class GeneratedFile(models.Model):
    """A file built by the worker (an Excel export, a PDF of many records): who asked for it,
    with which filters, how far it got, and the file while it is kept. The row stays after the
    file is purged: it is the record of who exported what (痕迹化管理).

    A file with an ``owner`` is that user's, downloaded only by them for
    ``rules().generated_file_days``; a file without one is published by the system under its
    ``key`` (the open-day PDFs), served by the page that publishes it until a newer file of the
    same key replaces it. Built only through ``audit_portal.core.files``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("published as"), max_length=120, blank=True)
    title = models.CharField(pgettext_lazy("generated file", "title"), max_length=200)
    # What the builder needs to build the file again (the filters as submitted, ids).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # The same filters in words, as the requester saw them: [[label, value], ...].
    criteria = models.JSONField(_("filters"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # Each start (and restart) is a new attempt; a run of an earlier attempt still going on
    # may no longer write anything.
    attempt = models.PositiveSmallIntegerField(default=1)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=generated_path, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard of at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("first downloaded at"), null=True, blank=True)
    purged_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        ordering = ["-created_at"]
        indexes = [
            # "My files": a user's files, newest first.
            models.Index(fields=["owner", "-created_at"], name="core_genfile_owner_idx"),
            # The header's count of files ready and not downloaded, on every page: only the
            # few rows in that state are in the index.
            models.Index(
                fields=["owner"],
                condition=models.Q(status="done", downloaded_at__isnull=True),
                name="core_genfile_ready_idx",
            ),
            # A published file by its key (equality for the public page, prefix for the
            # staff's count of one summary's files).
            models.Index(
                fields=["key"],
                condition=~models.Q(key=""),
                opclasses=["varchar_pattern_ops"],
                name="core_genfile_key_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="core_generatedfile_done_within_total",
            ),
            # A failure always says why, to the owner.
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(error=""),
                name="core_generatedfile_failed_has_error",
            ),
            # A file is either a user's or published under a key.
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False) | ~models.Q(key=""),
                name="core_generatedfile_owner_or_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        if self.purged_at is not None:
            return True
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_available(self, now: datetime.datetime | None = None) -> bool:
        """Ready, and still kept."""
        return self.status == self.Status.DONE and not self.is_expired(now) and bool(self.file)

    def is_stalled(self, now: datetime.datetime | None = None) -> bool:
        """Waiting or being built, but not heard of for longer than a build may stay silent:
        the worker stopped (or never picked it up)."""
        if not self.is_pending:
            return False
        last = self.heartbeat_at or self.created_at
        limit = datetime.timedelta(minutes=rules().generated_file_stalled_minutes)
        return last + limit < (now or timezone.now())

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class Submission(models.Model):
    """A form submitted once: the claim of its one-time token (``audit_portal.core.once``).

    The unique key makes a second copy of the same submission — a double click, a resent form,
    two identical requests at once — wait for the first and then find it claimed, instead of
    creating the record twice. Kept a day (``purge_files``)."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Where the first submission led (its redirect), for the copies.
    location = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.key
