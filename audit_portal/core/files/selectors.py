"""Reads of generated files: a user's own, the header's count, a published file by its key."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit_portal.core.models import GeneratedFile

Status = GeneratedFile.Status

# Session key: this session asked for a file (or began with files ready), so the header counts
# the files ready to download.
WATCH_FILES = "audit_portal_watch_files"


def files_for(user) -> QuerySet[GeneratedFile]:
    """A user's own files (everyone else's are not found: 404)."""
    if not user.is_authenticated:
        return GeneratedFile.objects.none()
    return GeneratedFile.objects.filter(owner=user)


def ready_count(user) -> int:
    """Files ready and not yet downloaded: the header's notice (one query, on a partial index)."""
    return (
        GeneratedFile.objects.filter(owner=user, status=Status.DONE, downloaded_at__isnull=True)
        .filter(expires_at__gt=timezone.now())
        .count()
    )


def _kept(now) -> Q:
    return Q(status=Status.DONE, purged_at__isnull=True) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def published_file(key: str) -> GeneratedFile | None:
    """The newest ready file published under ``key``, or None while there is none."""
    return (
        GeneratedFile.objects.filter(_kept(timezone.now()), key=key)
        .exclude(file="")
        .order_by("-created_at")
        .first()
    )


def published_counts(prefix: str) -> dict[str, int]:
    """For the files published under keys starting with ``prefix``: how many keys have a ready
    file (``ready``), how many are waiting or being built (``pending``), and how many have
    neither and failed last time (``failed``)."""
    files = GeneratedFile.objects.filter(key__startswith=prefix).order_by()

    def keys(queryset) -> set[str]:
        return set(queryset.values_list("key", flat=True).distinct())

    ready = keys(files.filter(_kept(timezone.now())))
    pending = keys(files.filter(status__in=[Status.QUEUED, Status.RUNNING]))
    failed = keys(files.filter(status=Status.FAILED)) - ready - pending
    return {"ready": len(ready), "pending": len(pending), "failed": len(failed)}


def watch_files_after_login(sender, request, user, **kwargs) -> None:
    """At login, the header watches the files only if some are waiting (one query per login,
    none per page for everyone who exports nothing)."""
    if ready_count(user):
        request.session[WATCH_FILES] = True
