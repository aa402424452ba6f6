"""Resident pages.

Who may see them: the caring institution's accounts, the placing station, the county bureau of
the institution's county, the city bureau and administrators (``selectors.residents_for``);
supervisors have no resident pages (404): they see counts only, in the monthly reports, and
where the area allows it read one record at a time through a logged request
(``supervisor_read``). A resident outside the user's scope is a 404; a write the user's part does
not allow is a 403 (``residents/policies.py``); a refusal for the record's state is the
service's, shown with its reason. Pages offer the actions the policy allows, never deciding
from a status themselves.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.history_view import trail
from audit_portal.core.web import apply_errors, list_page
from audit_portal.rules import rules
from inspections.models import CustodyAgreement
from inspections.selectors import institutions_for
from residents import forms, selectors, services
from residents.exports import may_export
from residents.filters import ResidentFilter
from residents.models import FollowUpVisit, IdentityStep, Resident, ReturnHome, Settlement
from residents.policies import resident_policy


def _area(user: User) -> None:
    """Resident pages exist for users who may read resident records; others get 404."""
    if not user.has_perm("residents.view_resident"):
        raise Http404


def _resident(user: User, pk: int, action: str | None = None) -> Resident:
    """The resident if in scope (404 otherwise); for one of its ``action``s, 403 when the
    user's part does not allow it."""
    _area(user)
    resident = get_object_or_404(selectors.residents_for(user).select_related("return_home"), pk=pk)
    if action is not None:
        resident_policy.require_role(action, user, resident)
    return resident


def _form_page(
    request: HttpRequest,
    resident: Resident,
    form,
    title: str,
    save: Callable[[dict], object],
    done: str,
) -> HttpResponse:
    """A form about one resident: on a valid POST, ``save`` (a service call); its refusal is
    shown on the form, its success on the resident's page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("residents:resident_detail", resident.pk)
    return render(
        request, "residents/form.html", {"form": form, "title": title, "resident": resident}
    )


@login_required
@require_GET
def resident_list(request: HttpRequest) -> HttpResponse:
    _area(request.user)
    now = timezone.now()
    residents = selectors.with_flags(selectors.residents_for(request.user), now)
    context = list_page(request, residents, ResidentFilter)
    return render(
        request,
        "residents/resident_list.html",
        {
            **context,
            "may_admit": resident_policy.may_admit(request.user),
            "may_export": may_export(request.user),
            "today": timezone.localdate(now),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_admit(request: HttpRequest) -> HttpResponse:
    _area(request.user)
    if not resident_policy.may_admit(request.user):
        raise PermissionDenied
    agreements = CustodyAgreement.objects.filter(
        station_id=request.user.organisation_id, status=CustodyAgreement.Status.ACTIVE
    ).select_related("institution", "station")
    form = forms.AdmitForm(request.POST or None, agreements=agreements)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            resident = services.resident_admit(
                agreement=data.pop("agreement"),
                admitted_at=data.pop("admitted_at"),
                actor=request.user,
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Resident admitted. The family-search notice is due."))
            return redirect("residents:resident_detail", resident.pk)
    return render(request, "residents/form.html", {"form": form, "title": _("Admit a resident")})


@login_required
@require_GET
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _resident(request.user, pk))


def _detail_page(
    request: HttpRequest, resident: Resident, full_id_number: str = ""
) -> HttpResponse:
    return_home = getattr(resident, "return_home", None)
    histories = [
        Resident.history.filter(id=resident.pk),
        IdentityStep.history.filter(resident_id=resident.pk),
        Settlement.history.filter(resident_id=resident.pk),
        ReturnHome.history.filter(resident_id=resident.pk),
        FollowUpVisit.history.filter(return_home__resident_id=resident.pk),
    ]
    return render(
        request,
        "residents/resident_detail.html",
        {
            "resident": resident,
            "steps": resident.identity_steps.select_related("recorded_by"),
            "settlements": resident.settlements.all(),
            "return_home": return_home,
            "follow_ups": return_home.follow_ups.all() if return_home else [],
            "actions": resident_policy.allowed(request.user, resident),
            "full_id_number": full_id_number,
            "now": timezone.now(),
            "today": timezone.localdate(),
            "history": trail(histories),
        },
    )


@login_required
@require_POST
def resident_reveal_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """The full ID number, on this response only; the display is logged."""
    resident = _resident(request.user, pk, "reveal_id_number")
    try:
        number = services.resident_reveal_id_number(resident=resident, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("residents:resident_detail", resident.pk)
    response = _detail_page(request, resident, full_id_number=number)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def resident_identify(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request.user, pk, "identify")
    form = forms.IdentifyForm(request.POST or None, instance=resident)

    def save(data: dict) -> None:
        reason = data.pop("reason")
        services.resident_identify(resident=resident, actor=request.user, reason=reason, **data)

    return _form_page(request, resident, form, _("Identity"), save, _("Identity saved."))


@login_required
@require_http_methods(["GET", "POST"])
def resident_care(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request.user, pk, "care")
    form = forms.CareForm(request.POST or None, instance=resident)

    def save(data: dict) -> None:
        services.resident_record_care(
            resident=resident,
            health_notes=data["health_notes"],
            actor=request.user,
            reason=data["reason"],
        )

    return _form_page(request, resident, form, _("Health notes"), save, _("Health notes saved."))


@login_required
@require_http_methods(["GET", "POST"])
def resident_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request.user, pk, "discharge")
    form = forms.DischargeForm(request.POST or None)

    def save(data: dict) -> None:
        services.resident_discharge(
            resident=resident,
            kind=data["kind"],
            discharged_at=data["discharged_at"],
            note=data["note"],
            actor=request.user,
            reason=data["reason"],
        )

    return _form_page(request, resident, form, _("Discharge"), save, _("Discharge recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request.user, pk, "search")
    form = forms.StepForm(request.POST or None)

    def save(data: dict) -> None:
        services.identity_step_record(resident=resident, actor=request.user, **data)

    title = _("Record an identity search step")
    return _form_page(request, resident, form, title, save, _("Step recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    _area(request.user)
    step = get_object_or_404(
        IdentityStep.objects.filter(resident__in=selectors.residents_for(request.user)), pk=pk
    )
    resident = _resident(request.user, step.resident_id, "search")
    form = forms.StepDoneForm(request.POST or None)

    def save(data: dict) -> None:
        services.identity_step_complete(step=step, actor=request.user, **data)

    title = _("%(step)s: done or answered") % {"step": step.get_kind_display()}
    return _form_page(request, resident, form, title, save, _("Step recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def settlement_add(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request.user, pk, "settle")
    form = forms.SettlementForm(request.POST or None)

    def save(data: dict) -> None:
        services.settlement_file(resident=resident, actor=request.user, **data)

    title = _("Settlement report or application")
    return _form_page(request, resident, form, title, save, _("Settlement step recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def settlement_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    _area(request.user)
    settlement = get_object_or_404(
        Settlement.objects.filter(resident__in=selectors.residents_for(request.user)), pk=pk
    )
    resident = _resident(request.user, settlement.resident_id, "identify")
    form = forms.SettlementOutcomeForm(request.POST or None)

    def save(data: dict) -> None:
        services.settlement_decide(settlement=settlement, actor=request.user, **data)

    title = _("Settlement outcome")
    return _form_page(request, resident, form, title, save, _("Outcome recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def return_home(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request.user, pk, "return_home")
    form = forms.ReturnHomeForm(request.POST or None)

    def save(data: dict) -> None:
        services.resident_return_home(resident=resident, actor=request.user, **data)

    title = _("Return home")
    return _form_page(request, resident, form, title, save, _("Return home recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def return_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request.user, pk, "follow_up")
    form = forms.FeedbackForm(request.POST or None)

    def save(data: dict) -> None:
        services.return_feedback_record(
            entry=resident.return_home,
            actor=request.user,
            sent_on=data["sent_on"],
            reference=data["reference"],
        )

    title = _("Written feedback to the home area")
    return _form_page(request, resident, form, title, save, _("Feedback recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    """One more follow-up visit, beyond those the rules scheduled at the return."""
    resident = _resident(request.user, pk, "follow_up")
    form = forms.FollowUpScheduleForm(request.POST or None)

    def save(data: dict) -> None:
        services.follow_up_schedule(
            entry=resident.return_home, due_on=data["due_on"], actor=request.user
        )

    title = _("Schedule a follow-up visit")
    return _form_page(request, resident, form, title, save, _("Follow-up visit scheduled."))


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    _area(request.user)
    visit = get_object_or_404(selectors.follow_ups_for(request.user), pk=pk)
    resident = _resident(request.user, visit.return_home.resident_id, "follow_up")
    form = forms.FollowUpForm(request.POST or None, instance=visit)

    def save(data: dict) -> None:
        services.follow_up_record(visit=visit, actor=request.user, **data)

    title = _("Follow-up visit")
    return _form_page(request, resident, form, title, save, _("Follow-up visit recorded."))


@login_required
@require_GET
def return_ledger(request: HttpRequest) -> HttpResponse:
    """返乡人员信息台账: the returns home in scope, with feedback and missed follow-ups."""
    _area(request.user)
    context = list_page(request, selectors.returns_for(request.user))
    missed = selectors.follow_ups_missed(request.user, timezone.localdate())
    return render(
        request,
        "residents/return_ledger.html",
        {
            **context,
            "missed": missed[:50],
            "missed_count": missed.count(),
            "may_export": may_export(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervisor_read(request: HttpRequest) -> HttpResponse:
    """A supervisor's logged read of one resident's record, where the area allows it
    (``rules().supervisor_resident_read``); otherwise, and for everyone else, there is no page."""
    user = request.user
    if not user.is_supervisor or not rules().supervisor_resident_read:
        raise Http404
    form = forms.SupervisorReadForm(request.POST or None, institutions=institutions_for(user))
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = services.resident_read_by_supervisor(
            institution_id=data["institution"].pk,
            name=data["name"],
            reason=data["reason"],
            actor=user,
        )
    response = render(request, "residents/supervisor_read.html", {"form": form, "found": found})
    response["Cache-Control"] = "no-store"
    return response
