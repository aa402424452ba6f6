"""The roster and a supervisor's record (staff side)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.web import apply_errors, list_page
from audit_portal.rules import rules
from inspections.selectors import institutions_for
from supervisors import forms, selectors, services
from supervisors.filters import RosterFilter
from supervisors.models import Supervisor
from supervisors.policies import event_policy, supervisor_policy, term_policy
from supervisors.views.common import staff_area


def _supervisor(user: User, pk: int, action: str | None = None) -> Supervisor:
    """A supervisor in the user's scope (404 outside it); ``action`` is what the page does
    beyond reading (403 if the role may not)."""
    staff_area(user)
    supervisor = get_object_or_404(selectors.supervisors_for(user), pk=pk)
    if action:
        supervisor_policy.require_role(action, user, supervisor)
    return supervisor


def _list_actions(user: User) -> frozenset[str]:
    """What the roster offers: recording a supervisor, and a training or symposium."""
    actions = set()
    if supervisor_policy.allows_create_for(user):
        actions.add("create")
    if event_policy.allows_record_for(user):
        actions.add("record_event")
    return frozenset(actions)


@login_required
@require_GET
def supervisor_list(request: HttpRequest) -> HttpResponse:
    staff_area(request.user, "supervisors.view_supervisor")
    today = timezone.localdate()
    supervisors = selectors.roster(request.user, day=today)
    return render(
        request,
        "supervisors/supervisor_list.html",
        {
            **list_page(request, supervisors, RosterFilter, day=today),
            "today": today,
            "warning_days": rules().supervisor_term_warning_days,
            "actions": _list_actions(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervisor_create(request: HttpRequest) -> HttpResponse:
    staff_area(request.user)
    supervisor_policy.require_create_for(request.user)
    form = forms.SupervisorForm(request.POST or None)
    form.fields["user"].queryset = User.objects.filter(
        role=User.Role.SUPERVISOR, supervisor_record__isnull=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            supervisor = services.supervisor_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Supervisor recorded."))
            return redirect("supervisors:supervisor_detail", pk=supervisor.pk)
    return render(request, "supervisors/supervisor_form.html", {"form": form})


@login_required
@require_GET
def supervisor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supervisor = _supervisor(request.user, pk)
    today = timezone.localdate()
    complaints = supervisor.complaints.select_related("institution")
    suggestions = supervisor.suggestions.select_related("institution")
    # Who may not read every complaint (a county bureau) sees only the activity about the
    # institutions in its own scope: a supervisor may also work in another county.
    if not request.user.has_perm("supervisors.view_complaint"):
        complaints = complaints.filter(institution__in=institutions_for(request.user))
    if not request.user.has_perm("supervisors.view_suggestion"):
        suggestions = suggestions.filter(institution__in=institutions_for(request.user))
    # The procedure (findings, reasons for turning down) is for those who may read it.
    may_see_appointments = request.user.has_perm("supervisors.view_appointment")
    term = supervisor.term_on(today)
    terms = list(supervisor.terms.select_related("appointment"))
    for each in terms:
        each.actions = term_policy.allowed(request.user, each)
    return render(
        request,
        "supervisors/supervisor_detail.html",
        {
            "supervisor": supervisor,
            "today": today,
            "age": supervisor.age_on(today),
            "term": term,
            "term_actions": term_policy.allowed(request.user, term) if term else frozenset(),
            "terms": terms,
            "appointments": supervisor.appointments.prefetch_related("findings")
            if may_see_appointments
            else None,
            "memberships": supervisor.memberships.select_related("group"),
            "events": supervisor.events.all(),
            "complaints": complaints,
            "suggestions": suggestions,
            "history": selectors.supervisor_history(
                supervisor, with_appointments=may_see_appointments
            ),
            "actions": supervisor_policy.allowed(request.user, supervisor),
            "end_form": forms.TermEndForm(initial={"on": today}),
        },
    )


@login_required
@require_POST
def supervisor_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the full ID number once, and logs that it was shown."""
    supervisor = _supervisor(request.user, pk, "reveal_id_number")
    number = services.supervisor_reveal_id_number(supervisor=supervisor, actor=request.user)
    response = render(
        request,
        "supervisors/id_number.html",
        {"supervisor": supervisor, "number": number},
    )
    response["Cache-Control"] = "private, no-store"
    return response
