"""Pages of the Excel import of institutions: upload → every row checked → confirm → what was
created (``inspections/services/imports.py``).

The bureaus that register institutions may import them (403 for other roles); an upload is its
uploader's alone (404 for anyone else). The uploaded file is kept between the steps, so the file
previewed is the file imported, and a second confirmation imports nothing again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.web import errors_to_messages, require_perm
from inspections.forms.imports import XLSX, ImportUploadForm
from inspections.models import DocumentKind, ImportUpload
from inspections.selectors import institutions_for
from inspections.services import import_uploads as uploads
from inspections.services import imports as services

PERMISSION = "inspections.add_institution"


def _upload(user: User, pk) -> ImportUpload:
    """The user's own upload (404 for anyone else's), once the role may import (403)."""
    require_perm(user, PERMISSION)
    return get_object_or_404(ImportUpload.objects.filter(owner=user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, PERMISSION)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = uploads.import_upload_store(file=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("inspections:institution_import_preview", upload.pk)
    return render(request, "inspections/imports/upload.html", {"form": form})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, PERMISSION)
    response = HttpResponse(services.import_template(actor=request.user), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, _("institution import template") + ".xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def import_preview(request: HttpRequest, pk) -> HttpResponse:
    upload = _upload(request.user, pk)
    context = {"upload": upload}
    if upload.imported_at is not None:
        return render(request, "inspections/imports/report.html", _report(request.user, upload))
    if uploads.import_upload_expired(upload):
        context["refusal"] = [_("The uploaded file has expired: upload it again.")]
    else:
        try:
            context["preview"] = services.institutions_import_preview(
                file=uploads.import_upload_file(upload), actor=request.user
            )
        except ValidationError as error:
            context["refusal"] = error.messages
    return render(request, "inspections/imports/preview.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk) -> HttpResponse:
    upload = _upload(request.user, pk)
    try:
        report = uploads.import_upload_confirm(upload=upload, actor=request.user)
    except services.ImportNotClean as error:
        messages.error(request, services.not_clean_message(len(error.preview.rows_with_errors)))
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("Imported %(institutions)d institutions and %(documents)d documents.")
            % {"institutions": len(report.institutions), "documents": len(report.documents)},
        )
    return redirect("inspections:institution_import_preview", upload.pk)


def _report(user: User, upload: ImportUpload) -> dict:
    """What the import created, each institution linked while the user may still see it."""
    created = upload.report.get("institutions", [])
    documents = upload.report.get("documents", [])
    ids = {row[0] for row in created} | {row[1] for row in documents}
    visible = set(institutions_for(user).filter(pk__in=ids).values_list("pk", flat=True))
    return {
        "upload": upload,
        "institutions": [
            {"pk": pk, "name": name, "credit_code": code, "visible": pk in visible}
            for pk, name, code in created
        ],
        "documents": [
            {
                "institution_pk": institution_pk,
                "institution": institution,
                "kind": DocumentKind(kind).label,
                "number": number,
                "visible": institution_pk in visible,
            }
            for _pk, institution_pk, institution, kind, number in documents
        ],
    }
