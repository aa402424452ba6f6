"""The signing page (签字留痕): on a team member's phone, once the results are recorded, the
team members and the institution's representative sign, or the representative refuses.

Outside the user's scope: 404; not on the team: 403; the inspection no longer in progress: the
service's reason, shown on the inspection page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit_portal.core.web import apply_errors
from inspections.forms.signatures import RefusalForm, SignatureForm
from inspections.models import Inspection, InspectionSignature
from inspections.policies import inspection_policy
from inspections.services import signatures as services
from inspections.views.inspections import _inspection_for

REFUSAL_PREFIX = "refusal"


def _signature_form(inspection: Inspection, data=None) -> SignatureForm:
    signed = set(inspection.signatures.exclude(signer=None).values_list("signer_id", flat=True))
    members = inspection.team.exclude(pk__in=signed).order_by("full_name", "username")
    representative_open = not inspection.signatures.filter(
        role=InspectionSignature.Role.INSTITUTION
    ).exists()
    return SignatureForm(data, members=list(members), representative_open=representative_open)


def _page(request, inspection, *, sign_form=None, refusal_form=None, status=200):
    signatures = list(inspection.signatures.select_related("recorded_by"))
    return render(
        request,
        "inspections/inspections/sign.html",
        {
            "inspection": inspection,
            "signatures": signatures,
            "missing": services.signatures_missing(inspection),
            "sign_form": sign_form or _signature_form(inspection),
            "refusal_form": refusal_form or RefusalForm(prefix=REFUSAL_PREFIX),
            "representative_open": not any(s.role == "institution" for s in signatures),
        },
        status=status,
    )


def _not_now(request: HttpRequest, inspection: Inspection) -> HttpResponse | None:
    refusal = inspection_policy.check("sign", request.user, inspection)
    if refusal is None:
        return None
    messages.info(request, refusal.message)
    return redirect("inspections:inspection_detail", inspection.pk)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_sign(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "sign")
    if response := _not_now(request, inspection):
        return response
    if request.method == "GET":
        return _page(request, inspection)
    form = _signature_form(inspection, request.POST)
    if form.is_valid():
        try:
            signature = services.signature_record(
                inspection=inspection,
                actor=request.user,
                image=form.cleaned_data["signature"],
                signer=form.signer_user(),
                signer_name=form.cleaned_data["signer_name"],
                signer_position=form.cleaned_data["signer_position"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Signature of %(name)s saved.") % {"name": signature.signer_name}
            )
            return redirect("inspections:inspection_sign", pk)
    return _page(request, inspection, sign_form=form, status=400)


@login_required
@require_POST
def inspection_sign_refusal(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "sign")
    if response := _not_now(request, inspection):
        return response
    form = RefusalForm(request.POST, prefix=REFUSAL_PREFIX)
    if form.is_valid():
        try:
            services.signature_refusal_record(
                inspection=inspection, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The refusal to sign was recorded."))
            return redirect("inspections:inspection_sign", pk)
    return _page(request, inspection, refusal_form=form, status=400)
