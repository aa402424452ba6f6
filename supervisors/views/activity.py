"""Supervisor activity, staff side: the complaints supervisors forward, and the trainings and
symposiums they attend."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.web import list_page
from supervisors import forms, services
from supervisors.models import Complaint
from supervisors.policies import complaint_policy, event_policy
from supervisors.views.common import act, staff_area


def _complaint(user: User, pk: int, action: str) -> Complaint:
    """A forwarded complaint, for staff whose role may take ``action`` on it (404 for everyone
    else and for a complaint that does not exist, 403 for staff whose role may not)."""
    staff_area(user)
    complaint = get_object_or_404(Complaint, pk=pk)
    complaint_policy.require_role(action, user, complaint)
    return complaint


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    staff_area(request.user, "supervisors.view_complaint")
    complaints = Complaint.objects.select_related("supervisor", "institution")
    context = list_page(request, complaints)
    for complaint in context["page"]:
        complaint.actions = complaint_policy.allowed(request.user, complaint)
    return render(
        request,
        "supervisors/complaint_list.html",
        # The list has no filters; ``form`` is each row's update form.
        {**context, "form": forms.ComplaintUpdateForm()},
    )


@login_required
@require_POST
def complaint_update(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request.user, pk, "update")
    act(
        request,
        forms.ComplaintUpdateForm(request.POST),
        lambda data: services.complaint_update(complaint=complaint, actor=request.user, **data),
        _("Complaint updated."),
    )
    return redirect("supervisors:complaint_list")


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    staff_area(request.user)
    event_policy.require_record_for(request.user)
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.event_record(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Attendance recorded."))
        return redirect("supervisors:supervisor_list")
    return render(request, "supervisors/event_form.html", {"form": form})
