"""Inspection pages: list, plan, the checklist being filled in, submission of the draft (which
raises the issue list), the institution's comments, finalisation, re-checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.evidence import ACCEPT_PHOTOS, evidence_by_owner
from audit_portal.core.history_view import trail
from audit_portal.core.web import apply_errors, errors_to_messages, list_page, require_perm
from inspections import hooks
from inspections.filters import InspectionFilter
from inspections.forms.inspections import CommentForm, InspectionPlanForm, RecheckForm
from inspections.models import Inspection, InspectionSignature, Issue, ItemResult
from inspections.policies import inspection_policy
from inspections.selectors import institutions_for
from inspections.selectors.inspections import (
    inspections_for,
    issues_for,
    team_candidates,
)
from inspections.services import inspections as services
from inspections.services.issues import recheck_close
from inspections.services.signatures import signatures_missing
from inspections.views.common import results_by_area


def _inspection(user: User, pk: int) -> Inspection:
    """The inspection if the user may see it (404 otherwise)."""
    return get_object_or_404(inspections_for(user), pk=pk)


def _inspection_for(user: User, pk: int, action: str) -> Inspection:
    """The inspection for one of its actions: 404 outside scope, 403 when the user's part in it
    does not allow the action (its state is the service's to refuse, with the reason)."""
    inspection = _inspection(user, pk)
    inspection_policy.require_role(action, user, inspection)
    return inspection


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "inspections.view_inspection")
    context = list_page(request, inspections_for(request.user), InspectionFilter)
    return render(request, "inspections/inspections/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(institutions_for(request.user), pk=pk)
    require_perm(request.user, "inspections.add_inspection")
    candidates = team_candidates(request.user, institution).select_related("organisation")
    form = InspectionPlanForm(request.POST or None, user=request.user, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_plan(
                institution=institution,
                kind=data["kind"],
                planned_on=data["planned_on"],
                template=data["template"],
                team=list(data["team"]),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Inspection planned."))
            return redirect("inspections:inspection_detail", inspection.pk)
    return render(
        request,
        "inspections/inspections/plan.html",
        {
            "form": form,
            "institution": institution,
            # Members of the supervision group who are not offered, and why.
            "not_on_team": hooks.supervisors_not_on_team(institution),
        },
    )


def _finalise_later(user, inspection: Inspection) -> str:
    refusal = inspection_policy.check("finalise", user, inspection)
    if refusal is None or refusal.role or inspection.status != Inspection.Status.COMMENTING:
        return ""
    return refusal.message


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request.user, pk)
    user = request.user
    today = timezone.localdate()
    results = list(inspection.results.select_related("item", "recorded_by"))
    photos = evidence_by_owner(results)
    for row in results:
        row.photos = photos[row.pk]
    issues = issues_for(user).filter(inspection=inspection)
    actions = inspection_policy.allowed(user, inspection)
    recheck_form = None
    if "recheck" in actions:
        recheck_form = RecheckForm(issues=_recheckable(user, inspection))
    context = {
        "inspection": inspection,
        "areas": results_by_area(results),
        "issues": issues.order_by("number"),
        "closed_here": issues_for(user).filter(closed_in=inspection),
        "team": inspection.team.select_related("organisation").order_by("role", "username"),
        "actions": actions,
        "comments_open": inspection.comments_open(today),
        # Why a reviewer cannot finalise yet (the comment period), said where the button would be.
        "finalise_later": _finalise_later(user, inspection),
        "comment_form": CommentForm(),
        "recheck_form": recheck_form,
        "signatures": list(inspection.signatures.select_related("recorded_by")),
        "history": trail(
            [
                Inspection.history.filter(id=inspection.pk),
                InspectionSignature.history.filter(inspection_id=inspection.pk),
            ]
        ),
        "today": today,
        # Pages of the apps above about this inspection (the residents seen on a visit).
        "links": hooks.inspection_links(user, inspection),
    }
    return render(request, "inspections/inspections/detail.html", context)


def _recheckable(user: User, inspection: Inspection):
    return (
        issues_for(user)
        .filter(institution=inspection.institution)
        .exclude(status=Issue.Status.CLOSED)
        .order_by("deadline")
    )


@login_required
@require_POST
def inspection_start(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "start")
    try:
        services.inspection_start(inspection=inspection, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect("inspections:inspection_record", pk)


def _parse_results(request: HttpRequest, rows: list[ItemResult]) -> tuple[dict, dict, list]:
    results, photos, errors = {}, {}, []
    allowed = set(ItemResult.Result.values) | {""}
    for row in rows:
        result = request.POST.get(f"result-{row.pk}", "")
        if result not in allowed:
            errors.append(_("Choose a result from the list for “%(item)s”.") % {"item": row.item})
            continue
        results[row.pk] = {"result": result, "note": request.POST.get(f"note-{row.pk}", "")}
        uploads = request.FILES.getlist(f"photos-{row.pk}")
        if uploads:
            photos[row.pk] = uploads
    return results, photos, errors


@login_required
@require_http_methods(["GET", "POST"])
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "record")
    if refusal := inspection_policy.check("record", request.user, inspection):
        messages.info(request, refusal.message)
        return redirect("inspections:inspection_detail", pk)
    rows = list(inspection.results.select_related("item"))
    errors: list[str] = []
    if request.method == "POST":
        results, photos, errors = _parse_results(request, rows)
        if not errors:
            try:
                services.inspection_record(
                    inspection=inspection,
                    actor=request.user,
                    results=results,
                    photos=photos,
                    summary=request.POST.get("summary", inspection.summary),
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Results saved."))
                if "submit" in request.POST:
                    return redirect("inspections:inspection_submit", pk)
                return redirect("inspections:inspection_record", pk)
        # Show what the user typed, not the saved values, so nothing is lost.
        for row in rows:
            row.result = request.POST.get(f"result-{row.pk}", row.result)
            row.note = request.POST.get(f"note-{row.pk}", row.note)
    photos_by_row = evidence_by_owner(rows)
    for row in rows:
        row.photos = photos_by_row[row.pk]
    done = sum(1 for row in rows if row.result)
    return render(
        request,
        "inspections/inspections/record.html",
        {
            "inspection": inspection,
            "areas": results_by_area(rows),
            "errors": errors,
            "results": ItemResult.Result.choices,
            "done": done,
            "total": len(rows),
            "summary": request.POST.get("summary", inspection.summary),
            "accept_photos": ACCEPT_PHOTOS,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_submit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "submit")
    if not inspection_policy.allows("submit", request.user, inspection):
        return redirect("inspections:inspection_detail", pk)
    failing = list(
        inspection.results.filter(result=ItemResult.Result.NONCONFORMING).select_related("item")
    )
    missing = inspection.results.filter(result="").count()
    if request.method == "POST":
        details = {}
        for row in failing:
            severity = request.POST.get(f"severity-{row.pk}", "")
            details[row.pk] = {
                "severity": severity if severity in Issue.Severity.values else "",
                "description": request.POST.get(f"description-{row.pk}", "").strip(),
                "responsible_person": request.POST.get(f"responsible-{row.pk}", "").strip(),
            }
        try:
            raised = services.inspection_submit(
                inspection=inspection, actor=request.user, issue_details=details
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(
                request,
                _("Draft submitted; %(count)d issues raised.") % {"count": len(raised)},
            )
            return redirect("inspections:inspection_detail", pk)
    for row in failing:
        row.default_severity = services.default_severity(row)
    return render(
        request,
        "inspections/inspections/submit.html",
        {
            "inspection": inspection,
            "failing": failing,
            "missing": missing,
            "missing_signatures": signatures_missing(inspection),
            "severities": Issue.Severity.choices,
        },
    )


@login_required
@require_POST
def inspection_open_comments(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "open_comments")
    try:
        inspection = services.inspection_open_comments(inspection=inspection, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("The report is open for the institution's comments until %(day)s.")
            % {"day": inspection.comment_deadline},
        )
    return redirect("inspections:inspection_detail", pk)


@login_required
@require_POST
def inspection_comment(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_comment(
                inspection=inspection, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Your comments were sent."))
    else:
        messages.error(request, _("Write your comments."))
    return redirect("inspections:inspection_detail", pk)


@login_required
@require_POST
def inspection_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "finalise")
    # Inside the comment period (the institution has commented), finalising closes it early:
    # the reviewer confirms that on the form.
    if inspection.comments_open(timezone.localdate()) and request.POST.get("confirm_early") != "1":
        messages.error(
            request,
            _(
                "The institution may still comment until %(day)s. Tick the box to confirm "
                "finalising now, which closes the comment period."
            )
            % {"day": inspection.comment_deadline},
        )
        return redirect("inspections:inspection_detail", pk)
    try:
        services.inspection_finalise(inspection=inspection, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("The report is final."))
    return redirect("inspections:inspection_detail", pk)


@login_required
@require_POST
def inspection_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request.user, pk, "recheck")
    form = RecheckForm(request.POST, issues=_recheckable(request.user, inspection))
    if form.is_valid():
        try:
            closed = recheck_close(
                recheck=inspection,
                issues=list(form.cleaned_data["issues"]),
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("%(count)d issues closed.") % {"count": len(closed)})
    else:
        errors_to_messages(request, ValidationError(form.errors.as_data()))
    return redirect("inspections:inspection_detail", pk)
