"""Checklist templates: the versions, and the editor (a change to a version in use becomes the
next version)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from inspections.forms.inspections import ChecklistForm, ChecklistItemFormSet
from inspections.models import ChecklistTemplate
from inspections.services.checklists import template_revise
from inspections.views.common import results_by_area


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, "inspections.view_checklisttemplate")
    templates = ChecklistTemplate.objects.select_related("created_by").order_by("code", "-version")
    return render(request, "inspections/checklists/list.html", {"templates": templates})


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "inspections.view_checklisttemplate")
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    items = list(template.items.all())
    for item in items:
        item.item = item  # results_by_area groups rows by row.item
    return render(
        request,
        "inspections/checklists/detail.html",
        {
            "template": template,
            "areas": results_by_area(items),
            "in_use": template.inspections.count(),
            "versions": ChecklistTemplate.objects.filter(code=template.code).order_by("-version"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "inspections.change_checklisttemplate")
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    if not template.is_active:
        messages.error(request, _("Only the version in use can be changed."))
        return redirect("inspections:template_detail", pk)
    initial_items = list(template.items.values("area", "text", "guidance", "critical"))
    form = ChecklistForm(
        request.POST or None,
        initial={"name": template.name, "description": template.description},
    )
    formset = ChecklistItemFormSet(request.POST or None, initial=initial_items, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [
            row for row in formset.cleaned_data if row and row.get("text") and not row.get("remove")
        ]
        try:
            revised = template_revise(
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                items=items,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if revised.pk != template.pk:
                messages.success(
                    request,
                    _("Version %(version)d created; past inspections keep version %(old)d.")
                    % {"version": revised.version, "old": template.version},
                )
            else:
                messages.success(request, _("Checklist saved."))
            return redirect("inspections:template_detail", revised.pk)
    return render(
        request,
        "inspections/checklists/edit.html",
        {
            "template": template,
            "form": form,
            "formset": formset,
            "in_use": template.inspections.exists(),
        },
    )
