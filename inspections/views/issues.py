"""One issue's thread, from the inspection that raised it to the verification that closed it:
rectifications with evidence, verdicts, extension requests and decisions, history.

An issue outside the user's scope is a 404 (``issues_for``); who may act on it, and when, is the
issue policy's (a 403 for who the user is; the service gives the reason for the issue's state),
and the page offers the actions it allows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.evidence import evidence_by_owner, evidence_for
from audit_portal.core.history_view import trail
from audit_portal.core.web import apply_errors, errors_to_messages, require_perm
from inspections.forms.inspections import (
    DecisionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    IssueForm,
    RectificationForm,
)
from inspections.models import DeadlineExtension, Issue, Rectification
from inspections.policies import issue_policy
from inspections.selectors import institutions_for
from inspections.selectors.inspections import issues_for
from inspections.services import issues as services
from inspections.workdays import working_days_between


def _issue(user: User, pk: int) -> Issue:
    # What the page names beside the issue: the inspection (its title names the institution),
    # the checklist item and who closed it.
    issues = issues_for(user).select_related("result__item", "inspection__institution", "closed_by")
    return get_object_or_404(issues, pk=pk)


def _issue_for(user: User, pk: int, action: str) -> Issue:
    """The issue for one of its actions: 404 outside scope, 403 when the user's part in it does
    not allow the action (its state is the service's to refuse, with the reason)."""
    issue = _issue(user, pk)
    issue_policy.require_role(action, user, issue)
    return issue


def _thread_context(request: HttpRequest, issue: Issue, **forms) -> dict:
    today = timezone.localdate()
    rectifications = list(issue.rectifications.select_related("submitted_by", "decided_by"))
    evidence = evidence_by_owner(rectifications)
    for rectification in rectifications:
        rectification.evidence = evidence[rectification.pk]
    waiting = (r for r in rectifications if r.decision == Rectification.Decision.PENDING)
    # Fetched onto the issue, where the policy finds the pending request too.
    prefetch_related_objects(
        [issue],
        Prefetch(
            "extensions",
            DeadlineExtension.objects.select_related("requested_by", "decided_by"),
        ),
    )
    extensions = list(issue.extensions.all())
    requested = (e for e in extensions if e.decision == DeadlineExtension.Decision.PENDING)
    return {
        "issue": issue,
        # What the inspector photographed when the item failed (the issue's checklist result).
        "result_photos": list(evidence_for(issue.result)) if issue.result_id else [],
        "today": today,
        "overdue": issue.is_overdue(today),
        "working_days_left": working_days_between(today, issue.deadline),
        "days_overdue": (today - issue.deadline).days,
        "rectifications": rectifications,
        "extensions": extensions,
        # The rectification and the extension request waiting for a decision, if any: what
        # "verify" and "decide_extension" act on.
        "pending_rectification": next(waiting, None),
        "pending_extension": next(requested, None),
        "actions": issue_policy.allowed(request.user, issue),
        "rectification_form": forms.get("rectification_form") or RectificationForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "extension_form": forms.get("extension_form") or ExtensionRequestForm(),
        "extension_decision_form": forms.get("extension_decision_form") or ExtensionDecisionForm(),
        "history": trail(
            [
                Issue.history.filter(id=issue.pk),
                Rectification.history.filter(issue_id=issue.pk),
                DeadlineExtension.history.filter(issue_id=issue.pk),
            ]
        ),
    }


@login_required
@require_GET
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request.user, pk)
    return render(request, "inspections/issues/detail.html", _thread_context(request, issue))


def _rerender(request: HttpRequest, issue: Issue, **forms) -> HttpResponse:
    return render(
        request,
        "inspections/issues/detail.html",
        _thread_context(request, issue, **forms),
        status=400,
    )


def _refused(request: HttpRequest, issue: Issue, error: ValidationError, **forms) -> HttpResponse:
    """The service refused: what it says about a field goes on the form, shown again; a reason
    about no field (the issue's state: the page no longer offers the form) is a message."""
    if hasattr(error, "error_dict"):
        for form in forms.values():
            apply_errors(form, error)
    else:
        errors_to_messages(request, error)
    return _rerender(request, issue, **forms)


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A free-standing issue, found outside a checklist."""
    institution = get_object_or_404(institutions_for(request.user), pk=pk)
    require_perm(request.user, "inspections.add_issue")
    form = IssueForm(
        request.POST or None, initial={"responsible_person": institution.contact_person}
    )
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(
                institution=institution, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Issue %(number)s raised; due %(day)s.")
                % {"number": issue.number, "day": issue.deadline},
            )
            return redirect("inspections:issue_detail", issue.pk)
    return render(
        request, "inspections/issues/create.html", {"form": form, "institution": institution}
    )


@login_required
@require_POST
def rectification_submit(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue_for(request.user, pk, "rectify")
    form = RectificationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _rerender(request, issue, rectification_form=form)
    try:
        services.rectification_submit(
            issue=issue,
            actor=request.user,
            plan=form.cleaned_data["plan"],
            uploads=form.cleaned_data["evidence"],
        )
    except ValidationError as error:
        return _refused(request, issue, error, rectification_form=form)
    messages.success(request, _("Rectification submitted for verification."))
    return redirect("inspections:issue_detail", pk)


@login_required
@require_POST
def rectification_decide(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = get_object_or_404(
        Rectification.objects.filter(issue__in=issues_for(request.user)), pk=pk
    )
    issue = rectification.issue
    issue_policy.require_role("verify", request.user, issue)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _rerender(request, issue, decision_form=form)
    try:
        services.rectification_decide(
            rectification=rectification,
            actor=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        return _refused(request, issue, error, decision_form=form)
    messages.success(request, _("Decision recorded."))
    return redirect("inspections:issue_detail", issue.pk)


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue_for(request.user, pk, "request_extension")
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        return _rerender(request, issue, extension_form=form)
    try:
        services.extension_request(issue=issue, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, issue, error, extension_form=form)
    messages.success(request, _("Extension requested."))
    return redirect("inspections:issue_detail", pk)


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(
        DeadlineExtension.objects.filter(issue__in=issues_for(request.user)), pk=pk
    )
    issue = extension.issue
    issue_policy.require_role("decide_extension", request.user, issue)
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        return _rerender(request, issue, extension_decision_form=form)
    try:
        services.extension_decide(
            extension=extension,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        return _refused(request, issue, error, extension_decision_form=form)
    messages.success(request, _("Decision recorded."))
    return redirect("inspections:issue_detail", issue.pk)
