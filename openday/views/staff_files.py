"""Staff pages of the open day's files: the PDF preview of a summary (a file built by the worker
for whoever asks, downloaded from their files) and rendering a public summary's stored PDFs
again. Who may: the summary policy (``preview``, ``render_files``); a summary the user may not
read is a 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit_portal.core.files.views import started
from audit_portal.core.web import step
from openday import files, selectors
from openday.models import Summary
from openday.policies import summary_policy


def _summary(request: HttpRequest, pk: int, action: str) -> Summary:
    summary = get_object_or_404(selectors.summaries_for(request.user), pk=pk)
    summary_policy.require_role(action, request.user, summary)
    return summary


@login_required
@require_POST
def summary_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF as the public will get it (masked counts), watermarked while not published."""
    summary = _summary(request, pk, "preview")
    return started(request, files.preview_request(summary=summary, user=request.user))


@login_required
@require_POST
def summary_render_files(request: HttpRequest, pk: int) -> HttpResponse:
    summary = _summary(request, pk, "render_files")
    step(
        request,
        lambda: files.summary_render_files(summary=summary, actor=request.user),
        _("The public PDFs are being rendered again; the current ones stay online until then."),
    )
    return redirect("openday:summary_detail", pk=summary.pk)
