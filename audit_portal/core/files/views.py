"""The pages of generated files: "My files", each file's progress page, its download (the
owner only: 404 for anyone else, 410 once deleted) and starting a stopped build again. The
pages that ask for a file answer their POST with ``started`` (its progress page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit_portal.core.files import services
from audit_portal.core.files.policies import file_policy
from audit_portal.core.files.registry import carries_personal_data
from audit_portal.core.files.selectors import WATCH_FILES, files_for
from audit_portal.core.models import GeneratedFile
from audit_portal.core.web import paginate, private_file, query_without_page, step
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent


def started(request: HttpRequest, job: GeneratedFile) -> HttpResponse:
    """The answer to a page's POST that asked for a file: the file's progress page (and from
    now on the header counts this session's files ready to download)."""
    request.session[WATCH_FILES] = True
    messages.success(
        request,
        _("Your file is being prepared. You will find it under “My files” when it is ready."),
    )
    return redirect("files:detail", job.pk)


def file_response(job: GeneratedFile, *, attachment: bool = True) -> FileResponse:
    """The stored file; private and never cached unless the caller says otherwise."""
    return private_file(
        job.file, filename=job.filename, content_type=job.content_type, attachment=attachment
    )


def _file(request: HttpRequest, pk) -> GeneratedFile:
    return get_object_or_404(files_for(request.user), pk=pk)


@login_required
@require_GET
def file_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "files/list.html",
        {"page": paginate(request, files_for(request.user)), "query": query_without_page(request)},
    )


@login_required
@require_GET
def file_detail(request: HttpRequest, pk) -> HttpResponse:
    job = _file(request, pk)
    stalled = job.is_stalled()
    return render(
        request,
        "files/detail.html",
        {
            "job": job,
            "available": job.is_available(),
            "stalled": stalled,
            # The page reloads itself while the worker is on it.
            "refresh": job.is_pending and not stalled,
            "actions": file_policy.allowed(request.user, job),
        },
    )


@login_required
@require_GET
def file_download(request: HttpRequest, pk) -> HttpResponse:
    job = _file(request, pk)
    refusal = file_policy.check("download", request.user, job)
    if refusal is not None:
        if job.status == GeneratedFile.Status.DONE:
            # Ready once, deleted since: gone for good (410), and the page says what to do.
            return render(request, "files/gone.html", {"job": job}, status=410)
        messages.info(request, refusal.message)
        return redirect("files:detail", job.pk)
    services.file_downloaded(job=job)
    if carries_personal_data(job.kind):
        record(
            SecurityEvent.Kind.PERSONAL_DATA_PDF
            if job.content_type == "application/pdf"
            else SecurityEvent.Kind.PERSONAL_DATA_EXPORT,
            request=request,
            target=f"file {job.pk} ({job.kind})",
            detail=job.title,
        )
    return file_response(job)


@login_required
@require_POST
def file_retry(request: HttpRequest, pk) -> HttpResponse:
    job = _file(request, pk)
    file_policy.require_role("retry", request.user, job)
    step(
        request,
        lambda: services.file_retry(job=job, actor=request.user),
        _("The file is being prepared again."),
    )
    return redirect("files:detail", job.pk)
