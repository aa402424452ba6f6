"""The supervisor's own pages: their record, the confidentiality undertaking, the institutions
assigned to them, and the complaints and suggestions they make."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit_portal.accounts.models import User
from audit_portal.core.web import errors_to_messages
from inspections.selectors import institutions_for
from supervisors import forms, selectors, services
from supervisors.models import SupervisionGroup, Supervisor
from supervisors.policies import term_policy


def _me(user: User) -> Supervisor:
    """The user's own supervisor record (404 for anyone who has none)."""
    supervisor = selectors.own_supervisor(user)
    if supervisor is None:
        raise Http404
    return supervisor


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
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Thank you: the undertaking is recorded."))
        return redirect("home")
    return render(
        request,
        "supervisors/undertaking.html",
        {
            "form": form,
            "term": term,
            "version": services.UNDERTAKING_VERSION,
            "actions": term_policy.allowed(request.user, term),
        },
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
