"""Pages of the supervisor scheme.

Who may do what: the city bureau (home of the joint-meeting office) and administrators run the
scheme; a county bureau reads the roster of the supervisors working in its county (ID numbers
masked) and gets 403 on anything that writes; rescue stations, institutions and supervisors get
404 on staff pages. A supervisor sees only their own record, through the "me" pages.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import Organisation, User
from audit_portal.rules import rules
from inspections.models import Institution
from inspections.selectors import institutions_for
from supervisors import forms, selectors, services
from supervisors.models import (
    Appointment,
    Assignment,
    Complaint,
    GroupMembership,
    SupervisionGroup,
    Supervisor,
    Term,
)

PAGE_SIZE = 25


def _staff_area(user: User, perm: str | None = None) -> None:
    """Staff pages exist only for administrators and the city and county bureaus (404 for
    everyone else); ``perm`` is what the page needs beyond reading (403 without it)."""
    reads = user.is_admin or (
        user.is_civil_affairs_staff
        and user.organisation_kind in (Organisation.Kind.CITY, Organisation.Kind.COUNTY)
    )
    if not reads:
        raise Http404
    if perm and not user.has_perm(perm):
        raise PermissionDenied


def _supervisor(user: User, pk: int, perm: str | None = None) -> Supervisor:
    _staff_area(user)
    supervisor = get_object_or_404(selectors.supervisors_for(user), pk=pk)
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return supervisor


def _group(user: User, pk: int, perm: str | None = None) -> SupervisionGroup:
    _staff_area(user)
    group = get_object_or_404(selectors.groups_for(user), pk=pk)
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return group


def _me(user: User) -> Supervisor:
    supervisor = selectors.own_supervisor(user)
    if supervisor is None:
        raise Http404
    return supervisor


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _act(request: HttpRequest, form, action, success: str) -> None:
    """Run a POSTed step: the service's refusal becomes a message on the page it came from."""
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, success)


# Roster and records ------------------------------------------------------------------------------


@login_required
@require_GET
def supervisor_list(request: HttpRequest) -> HttpResponse:
    _staff_area(request.user, "supervisors.view_supervisor")
    today = timezone.localdate()
    form = forms.RosterFilterForm(request.GET or None, groups=selectors.groups_for(request.user))
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "active": {"yes": True, "no": False}.get(data["active"]),
            "ending_soon": data["ending"],
            "group": data["group"],
            "q": data["q"],
        }
    supervisors = selectors.roster(request.user, day=today, **filters)
    page = Paginator(supervisors, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervisors/supervisor_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "warning_days": rules().supervisor_term_warning_days,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervisor_create(request: HttpRequest) -> HttpResponse:
    _staff_area(request.user, "supervisors.add_supervisor")
    form = forms.SupervisorForm(request.POST or None)
    form.fields["user"].queryset = User.objects.filter(
        role=User.Role.SUPERVISOR, supervisor_record__isnull=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            supervisor = services.supervisor_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
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
    return render(
        request,
        "supervisors/supervisor_detail.html",
        {
            "supervisor": supervisor,
            "today": today,
            "age": supervisor.age_on(today),
            "term": supervisor.term_on(today),
            "terms": supervisor.terms.select_related("appointment"),
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
            "may_see_id": request.user.has_perm("supervisors.view_full_id_number"),
            "end_form": forms.TermEndForm(initial={"on": today}),
        },
    )


@login_required
@require_POST
def supervisor_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the full ID number once, and logs that it was shown."""
    supervisor = _supervisor(request.user, pk, "supervisors.view_full_id_number")
    number = services.supervisor_reveal_id_number(supervisor=supervisor, actor=request.user)
    response = render(
        request,
        "supervisors/id_number.html",
        {"supervisor": supervisor, "number": number},
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The appointment procedure -----------------------------------------------------------------------


def _appointment(user: User, pk: int, perm: str = "supervisors.run_appointments") -> Appointment:
    _staff_area(user, "supervisors.view_appointment")
    appointment = get_object_or_404(
        Appointment.objects.select_related("supervisor").filter(
            supervisor__in=selectors.supervisors_for(user)
        ),
        pk=pk,
    )
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return appointment


@login_required
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    _staff_area(request.user, "supervisors.view_appointment")
    stage = request.GET.get("stage", "open")
    appointments = selectors.pipeline()
    if stage == "open":
        appointments = appointments.filter(
            stage__in=[
                Appointment.Stage.NOMINATED,
                Appointment.Stage.VETTED,
                Appointment.Stage.DECIDED,
            ]
        )
    elif stage in Appointment.Stage.values:
        appointments = appointments.filter(stage=stage)
    page = Paginator(appointments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervisors/appointment_list.html",
        {
            "page": page,
            "stage": stage,
            "stages": Appointment.Stage.choices,
            # The pages keep the chosen stage.
            "query": urlencode({"stage": stage}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appointment_nominate(request: HttpRequest) -> HttpResponse:
    _staff_area(request.user, "supervisors.run_appointments")
    may_override = request.user.has_perm("supervisors.override_term_limit")
    form = forms.NominateForm(
        request.POST or None,
        may_override=may_override,
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("Candidate nominated."))
            return redirect("supervisors:appointment_detail", pk=appointment.pk)
    return render(request, "supervisors/appointment_form.html", {"form": form})


@login_required
@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request.user, pk, perm="")
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
            "may_run": request.user.has_perm("supervisors.run_appointments"),
            "may_override": request.user.has_perm("supervisors.override_term_limit"),
            "term": Term.objects.filter(appointment=appointment).first(),
        },
    )


def _step(request: HttpRequest, pk: int, form_class, action, success: str) -> HttpResponse:
    appointment = _appointment(request.user, pk)
    _act(request, form_class(request.POST), lambda data: action(appointment, data), success)
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

    return _step(request, pk, forms.VetForm, action, _("Vetting recorded."))


@login_required
@require_POST
def appointment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
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
        forms.ReasonForm,
        lambda appointment, data: services.appointment_turn_down(
            appointment=appointment, actor=request.user, reason=data["reason"]
        ),
        _("Candidate turned down."),
    )


@login_required
@require_POST
def appointment_override(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request.user, pk, "supervisors.override_term_limit")
    _act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.appointment_override_term_limit(
            appointment=appointment, actor=request.user, reason=data["reason"]
        ),
        _("Term limit overridden."),
    )
    return redirect("supervisors:appointment_detail", pk=appointment.pk)


# Terms -------------------------------------------------------------------------------------------


def _term(user: User, pk: int, perm: str | None = None) -> Term:
    _staff_area(user, "supervisors.view_term")
    term = get_object_or_404(
        Term.objects.select_related("supervisor", "appointment").filter(
            supervisor__in=selectors.supervisors_for(user)
        ),
        pk=pk,
    )
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return term


@login_required
@require_GET
def term_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The appointment letter (聘书), with the ID number masked."""
    from audit_portal.core.pdf import pdf_response, render_pdf

    term = _term(request.user, pk)
    pdf = render_pdf(
        "supervisors/pdf/appointment_letter.html",
        {"term": term, "supervisor": term.supervisor, "issued_on": timezone.localdate()},
    )
    return pdf_response(pdf, f"聘书-{term.supervisor.full_name}-{term.number}.pdf")


@login_required
@require_POST
def term_end(request: HttpRequest, pk: int) -> HttpResponse:
    term = _term(request.user, pk, "supervisors.change_term")
    _act(
        request,
        forms.TermEndForm(request.POST),
        lambda data: services.term_end_early(term=term, actor=request.user, **data),
        _("The term has ended early."),
    )
    return redirect("supervisors:supervisor_detail", pk=term.supervisor_id)


# Groups ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    _staff_area(request.user, "supervisors.view_supervisiongroup")
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("supervisors.add_supervisiongroup"):
            raise PermissionDenied
        if form.is_valid():
            try:
                group = services.group_create(name=form.cleaned_data["name"], actor=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return redirect("supervisors:group_detail", pk=group.pk)
    groups = selectors.groups_for(request.user).prefetch_related(
        "assignments__institution",
    )
    today = timezone.localdate()
    rows = [
        {
            "group": group,
            "members": list(group.current_memberships()),
            "problems": group.composition_problems(today),
        }
        for group in groups
    ]
    return render(request, "supervisors/group_list.html", {"rows": rows, "form": form})


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "supervisors/group_detail.html",
        {
            "group": group,
            "members": group.current_memberships(),
            "problems": group.composition_problems(today),
            "assignments": group.assignments.select_related("institution").order_by("-starts_on"),
            "member_form": forms.MemberForm(),
            "assign_form": forms.AssignForm(
                institutions=institutions_for(request.user).exclude(
                    status=Institution.Status.TERMINATED
                )
            ),
            "reason_form": forms.ReasonForm(),
            "may_change": request.user.has_perm("supervisors.change_supervisiongroup"),
            "today": today,
        },
    )


@login_required
@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request.user, pk, "supervisors.change_supervisiongroup")
    _act(
        request,
        forms.MemberForm(request.POST),
        lambda data: services.group_add_member(group=group, actor=request.user, **data),
        _("Member added."),
    )
    return redirect("supervisors:group_detail", pk=group.pk)


@login_required
@require_POST
def group_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_area(request.user)
    membership = get_object_or_404(
        GroupMembership.objects.filter(group__in=selectors.groups_for(request.user)), pk=pk
    )
    if not request.user.has_perm("supervisors.change_supervisiongroup"):
        raise PermissionDenied
    _act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.group_remove_member(
            membership=membership, actor=request.user, reason=data["reason"]
        ),
        _("Member removed from the group."),
    )
    return redirect("supervisors:group_detail", pk=membership.group_id)


@login_required
@require_POST
def group_activate(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request.user, pk, "supervisors.change_supervisiongroup")
    try:
        services.group_activate(group=group, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The group is active."))
    return redirect("supervisors:group_detail", pk=group.pk)


@login_required
@require_POST
def group_assign(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request.user, pk, "supervisors.add_assignment")
    form = forms.AssignForm(request.POST, institutions=institutions_for(request.user))
    _act(
        request,
        form,
        lambda data: services.group_assign(
            group=group, institution=data["institution"], actor=request.user
        ),
        _("The group is assigned to the institution."),
    )
    return redirect("supervisors:group_detail", pk=group.pk)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_area(request.user)
    assignment = get_object_or_404(
        Assignment.objects.filter(group__in=selectors.groups_for(request.user)), pk=pk
    )
    if not request.user.has_perm("supervisors.change_assignment"):
        raise PermissionDenied
    _act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.assignment_end(
            assignment=assignment, actor=request.user, reason=data["reason"]
        ),
        _("The assignment has ended."),
    )
    return redirect("supervisors:group_detail", pk=assignment.group_id)


# Activity (staff side) ---------------------------------------------------------------------------


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    _staff_area(request.user, "supervisors.view_complaint")
    complaints = Complaint.objects.select_related("supervisor", "institution")
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervisors/complaint_list.html",
        {"page": page, "form": forms.ComplaintUpdateForm()},
    )


@login_required
@require_POST
def complaint_update(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_area(request.user, "supervisors.change_complaint")
    complaint = get_object_or_404(Complaint, pk=pk)
    _act(
        request,
        forms.ComplaintUpdateForm(request.POST),
        lambda data: services.complaint_update(complaint=complaint, actor=request.user, **data),
        _("Complaint updated."),
    )
    return redirect("supervisors:complaint_list")


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    _staff_area(request.user, "supervisors.add_event")
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.event_record(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Attendance recorded."))
        return redirect("supervisors:supervisor_list")
    return render(request, "supervisors/event_form.html", {"form": form})


# The supervisor's own pages ----------------------------------------------------------------------


@login_required
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    supervisor = _me(request.user)
    return render(
        request,
        "supervisors/my_record.html",
        {
            "supervisor": supervisor,
            "panel": selectors.my_supervision_panel(request.user),
            "terms": supervisor.terms.all(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def undertaking(request: HttpRequest) -> HttpResponse:
    supervisor = _me(request.user)
    today = timezone.localdate()
    term = supervisor.term_on(today) or supervisor.terms.filter(starts_on__gt=today).last()
    if term is None:
        raise Http404
    form = forms.UndertakingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.undertaking_accept(term=term, actor=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Thank you: the undertaking is recorded."))
        return redirect("home")
    return render(
        request,
        "supervisors/undertaking.html",
        {"form": form, "term": term, "version": services.UNDERTAKING_VERSION},
    )


@login_required
@require_GET
def my_institution(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor's view of an institution assigned to them (404 for any other)."""
    if not request.user.is_supervisor:
        raise Http404
    institution = get_object_or_404(institutions_for(request.user).select_related("county"), pk=pk)
    groups = SupervisionGroup.objects.filter(
        assignments__institution=institution,
        memberships__supervisor__user=request.user,
        memberships__left_on__isnull=True,
    ).distinct()
    return render(
        request,
        "supervisors/my_institution.html",
        {"institution": institution, "groups": groups},
    )


def _my_activity(request: HttpRequest, form_class, create, template: str, success: str):
    supervisor = _me(request.user)
    form = form_class(request.POST or None, institutions=institutions_for(request.user))
    if request.method == "POST" and form.is_valid():
        create(supervisor, form.cleaned_data)
        messages.success(request, success)
        return redirect("supervisors:my_record")
    return render(request, template, {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def complaint_create(request: HttpRequest) -> HttpResponse:
    return _my_activity(
        request,
        forms.ComplaintForm,
        lambda supervisor, data: services.complaint_forward(
            supervisor=supervisor, actor=request.user, **data
        ),
        "supervisors/complaint_form.html",
        _("Complaint forwarded to the civil-affairs bureau."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_create(request: HttpRequest) -> HttpResponse:
    return _my_activity(
        request,
        forms.SuggestionForm,
        lambda supervisor, data: services.suggestion_make(
            supervisor=supervisor, actor=request.user, **data
        ),
        "supervisors/suggestion_form.html",
        _("Suggestion recorded."),
    )
