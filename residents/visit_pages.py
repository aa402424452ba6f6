"""The page of the residents seen on a monthly visit, linked from the visit's page.

A visit outside the user's scope, or a user who reads no resident records (supervisors), is a
404; a reader in scope who is not the visiting station's staff gets the list read-only, and a
403 on POST.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit_portal.core.web import errors_to_messages
from inspections.models import Inspection
from inspections.selectors.inspections import inspections_for
from residents import visits


class SeenForm(forms.Form):
    """One tick and one note per resident to tick (``seen_<pk>``, ``note_<pk>``)."""

    def __init__(self, *args, residents, seen, **kwargs):
        super().__init__(*args, **kwargs)
        self.residents = list(residents)
        for resident in self.residents:
            row = seen.get(resident.pk)
            self.fields[f"seen_{resident.pk}"] = forms.BooleanField(
                label=resident.name, required=False, initial=row is not None
            )
            self.fields[f"note_{resident.pk}"] = forms.CharField(
                label=gettext_lazy("Note"),
                required=False,
                max_length=200,
                initial=row.note if row else "",
            )

    def rows(self) -> list[dict]:
        return [
            {
                "resident": resident,
                "seen": self[f"seen_{resident.pk}"],
                "note": self[f"note_{resident.pk}"],
            }
            for resident in self.residents
        ]

    def ticked(self) -> list:
        return [r for r in self.residents if self.cleaned_data.get(f"seen_{r.pk}")]

    def notes(self) -> dict[int, str]:
        return {r.pk: self.cleaned_data.get(f"note_{r.pk}", "") for r in self.residents}


@login_required
@require_http_methods(["GET", "POST"])
def visit_residents(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not user.has_perm("residents.view_resident"):
        raise Http404
    visit = get_object_or_404(
        inspections_for(user).filter(kind=Inspection.Kind.MONTHLY_VISIT), pk=pk
    )
    may_record = visits.may_record(user, visit)
    if request.method == "POST" and not may_record:
        raise PermissionDenied
    seen = {row.resident_id: row for row in visits.seen_on(visit)}
    residents = visits.residents_to_tick(user, visit)
    # An empty POST (nobody ticked) is a bound form too: it clears the list.
    data = request.POST if request.method == "POST" else None
    form = SeenForm(data, residents=residents, seen=seen)
    if request.method == "POST" and form.is_valid():
        try:
            visits.visit_residents_record(
                visit=visit, residents=form.ticked(), notes=form.notes(), actor=user
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("The residents seen on the visit are recorded."))
            return redirect("residents:visit_residents", visit.pk)
    return render(
        request,
        "residents/visits/seen.html",
        {"visit": visit, "form": form, "rows": form.rows(), "may_record": may_record},
        status=400 if form.is_bound else 200,
    )
