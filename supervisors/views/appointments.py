"""The appointment procedure: the pipeline, the nomination and each step of a procedure."""

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
from supervisors import forms, selectors, services
from supervisors.filters import PipelineFilter
from supervisors.models import Appointment, Term
from supervisors.policies import appointment_policy
from supervisors.views.common import act, staff_area


def _appointment(user: User, pk: int, action: str | None = None) -> Appointment:
    """A procedure of a supervisor in the user's scope, for those who may read procedures (404
    outside it); ``action`` is the step the page takes (403 if the role may not take it; a
    refusal for the procedure's state is the service's, as a message)."""
    staff_area(user, "supervisors.view_appointment")
    appointment = get_object_or_404(
        Appointment.objects.select_related("supervisor").filter(
            supervisor__in=selectors.supervisors_for(user)
        ),
        pk=pk,
    )
    if action:
        appointment_policy.require_role(action, user, appointment)
    return appointment


@login_required
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    staff_area(request.user, "supervisors.view_appointment")
    context = list_page(request, selectors.pipeline(), PipelineFilter)
    return render(
        request,
        "supervisors/appointment_list.html",
        {
            **context,
            "stage": context["filter"].chosen_stage,
            "stages": Appointment.Stage.choices,
            "actions": appointment_policy.nomination_actions(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appointment_nominate(request: HttpRequest) -> HttpResponse:
    staff_area(request.user)
    appointment_policy.require_nominate_for(request.user)
    actions = appointment_policy.nomination_actions(request.user)
    form = forms.NominateForm(
        request.POST or None,
        may_override="override_term_limit" in actions,
        initial={"supervisor": request.GET.get("supervisor")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.appointment_nominate(
                supervisor=data["supervisor"],
                invited_on=data["invited_on"],
                note=data["note"],
                term_limit_override_reason=data.get("term_limit_override_reason", ""),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Candidate nominated."))
            return redirect("supervisors:appointment_detail", pk=appointment.pk)
    return render(request, "supervisors/appointment_form.html", {"form": form})


@login_required
@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "supervisors/appointment_detail.html",
        {
            "appointment": appointment,
            "findings": appointment.findings.all(),
            "age": appointment.supervisor.age_on(appointment.invited_on),
            "max_age": rules().supervisor_max_age_at_invitation,
            "vet_form": forms.VetForm(),
            "decide_form": forms.DecideForm(initial={"meeting_date": today}),
            "file_form": forms.FileForm(
                initial={"starts_on": today, "employer_notified_on": today}
            ),
            "reason_form": forms.ReasonForm(),
            "actions": appointment_policy.allowed(request.user, appointment),
            "term": Term.objects.filter(appointment=appointment).first(),
        },
    )


def _step(
    request: HttpRequest, pk: int, step: str, form_class, action, success: str
) -> HttpResponse:
    appointment = _appointment(request.user, pk, step)
    act(request, form_class(request.POST), lambda data: action(appointment, data), success)
    return redirect("supervisors:appointment_detail", pk=appointment.pk)


@login_required
@require_POST
def appointment_vet(request: HttpRequest, pk: int) -> HttpResponse:
    def action(appointment, data):
        form = forms.VetForm(request.POST)
        form.is_valid()
        services.appointment_vet(
            appointment=appointment, findings=form.findings(), actor=request.user
        )

    return _step(request, pk, "vet", forms.VetForm, action, _("Vetting recorded."))


@login_required
@require_POST
def appointment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "decide",
        forms.DecideForm,
        lambda appointment, data: services.appointment_decide(
            appointment=appointment, actor=request.user, **data
        ),
        _("Decision of the joint meeting recorded."),
    )


@login_required
@require_POST
def appointment_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "file",
        forms.FileForm,
        lambda appointment, data: services.appointment_file(
            appointment=appointment, actor=request.user, **data
        ),
        _("Appointment filed; the term has begun."),
    )


@login_required
@require_POST
def appointment_turn_down(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "turn_down",
        forms.ReasonForm,
        lambda appointment, data: services.appointment_turn_down(
            appointment=appointment, actor=request.user, reason=data["reason"]
        ),
        _("Candidate turned down."),
    )


@login_required
@require_POST
def appointment_override(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request.user, pk, "override_term_limit")
    act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.appointment_override_term_limit(
            appointment=appointment, actor=request.user, reason=data["reason"]
        ),
        _("Term limit overridden."),
    )
    return redirect("supervisors:appointment_detail", pk=appointment.pk)
