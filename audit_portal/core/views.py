from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit_portal.core.evidence import evidence_visible_to
from audit_portal.core.home import home_page
from audit_portal.core.models import EvidenceFile
from audit_portal.core.thumbnails import MEDIA_TYPE, thumbnail_bytes
from audit_portal.core.web import private_file


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    template, context = home_page(request.user)
    return render(request, template, context)


@require_GET
def evidence_download(request: HttpRequest, pk) -> FileResponse:
    evidence = get_object_or_404(EvidenceFile.objects.select_related("owner_type"), pk=pk)
    if not evidence_visible_to(request.user, evidence):
        raise Http404
    return private_file(
        evidence.file, filename=evidence.original_name, content_type=evidence.media_type
    )


@require_GET
def evidence_thumbnail(request: HttpRequest, pk) -> HttpResponse:
    """The small JPEG of an image, for pages: the same check as the file itself (404 outside
    scope); a PDF has none (404)."""
    evidence = get_object_or_404(EvidenceFile.objects.select_related("owner_type"), pk=pk)
    if not evidence_visible_to(request.user, evidence):
        raise Http404
    data = thumbnail_bytes(evidence)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type=MEDIA_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
