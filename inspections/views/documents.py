"""The inspection's official documents as PDF: the report and the rectification notice.

Anyone who may see the inspection may download them (``inspections_for``: an institution sees
its report only once it is opened for comments); anyone else gets 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from audit_portal.core.pdf import pdf_response, render_pdf
from inspections.models import Inspection
from inspections.selectors.documents import notice_context, reference, report_context
from inspections.selectors.inspections import inspections_for


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    if not request.user.has_perm("inspections.view_inspection"):
        raise Http404
    return get_object_or_404(
        inspections_for(request.user).select_related("institution__county", "lead__organisation"),
        pk=pk,
    )


@login_required
@require_GET
def inspection_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    pdf = render_pdf("inspections/pdf/inspection_report.html", report_context(inspection))
    return pdf_response(pdf, f"inspection-report-{reference(inspection)}.pdf")


@login_required
@require_GET
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The rectification notice (整改通知书); an inspection that raised no issue has none."""
    inspection = _inspection(request, pk)
    if not inspection.issues.exists():
        raise Http404
    pdf = render_pdf("inspections/pdf/rectification_notice.html", notice_context(inspection))
    return pdf_response(pdf, f"rectification-notice-{reference(inspection)}.pdf")
