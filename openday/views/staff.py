"""Staff pages of the open day: the summary's workflow, the visits and their registrations,
and the public's complaints.

Who may do what: every civil-affairs user reads the summaries and the visits in their scope;
the city bureau drafts, approves (someone other than the drafters) and publishes; county and
city bureaus set visit capacities and answer complaints; supervisors read and forward the
complaints routed to their group. Without the read permission (or outside the user's scope) a
page is a 404; a write the user's role does not allow is a 403 (``openday/policies.py``), and a
refusal for the object's state is the service's, shown with the reason. Pages offer the actions
the policy allows (``actions``), never deciding from a status themselves.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.web import apply_errors, errors_to_messages, list_page, step
from inspections.models import Institution
from inspections.selectors import institutions_for
from openday import files, forms, selectors, services
from openday.display import Presenter, area_extra, kind_label
from openday.models import PublicComplaint, Summary, SummaryEntry, coming_open_day_year
from openday.policies import complaint_policy, summary_policy, visit_day_policy


def _summary(user: User, pk: int, action: str | None = None) -> Summary:
    """The summary if the user reads summaries (404 otherwise); for one of its ``action``s, 403
    when the user's role does not allow it (its state is the service's to refuse, with the
    reason)."""
    summary = get_object_or_404(selectors.summaries_for(user), pk=pk)
    if action is not None:
        summary_policy.require_role(action, user, summary)
    return summary


def _list_actions(user: User) -> frozenset[str]:
    """What the user may do where no summary exists yet: draft one."""
    if summary_policy.allows_draft_for(user):
        return frozenset({"draft"})
    return frozenset()


# Summaries ---------------------------------------------------------------------------------------


@login_required
@require_GET
def summary_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("openday.view_summary"):
        raise Http404
    return render(
        request,
        "openday/staff/summary_list.html",
        {
            "summaries": selectors.summaries_for(request.user),
            "form": forms.SummaryCreateForm(),
            "actions": _list_actions(request.user),
        },
    )


@login_required
@require_POST
def summary_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("openday.view_summary"):
        raise Http404
    summary_policy.require_draft_for(request.user)
    form = forms.SummaryCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            summary = services.summary_draft(
                year=data["year"],
                actor=request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Draft summary created from the records."))
            return redirect("openday:summary_detail", pk=summary.pk)
    return render(
        request,
        "openday/staff/summary_list.html",
        {
            "summaries": selectors.summaries_for(request.user),
            "form": form,
            "actions": _list_actions(request.user),
        },
    )


@login_required
@require_GET
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary = _summary(request.user, pk)
    user = request.user
    presenter = Presenter(threshold=summary.small_count_threshold, public=False)
    public = Presenter(threshold=summary.small_count_threshold, public=True)
    entries = [
        {
            "entry": entry,
            "kind": kind_label(entry.kind),
            "headline": presenter.headline(entry.figures),
        }
        for entry in summary.entries.all()
    ]
    return render(
        request,
        "openday/staff/summary_detail.html",
        {
            "summary": summary,
            "figures": presenter.present(summary.area),
            "public_figures": public.present(summary.area),
            "extra": area_extra(summary.area, presenter),
            "entries": entries,
            "versions": Summary.objects.filter(year=summary.year).order_by("-version"),
            "actions": summary_policy.allowed(user, summary),
            "only_others_approve": summary_policy.only_others_approve(user, summary),
            "reason_form": forms.ReasonForm(),
            "public_files": files.public_files_status(summary) if summary.is_public else None,
            "history": _history(summary),
        },
    )


def _history(summary: Summary) -> list:
    from audit_portal.core.history_view import trail

    return trail([Summary.history.filter(id=summary.pk)])


def _action(request: HttpRequest, pk: int, action: str, run, done: str) -> HttpResponse:
    summary = _summary(request.user, pk, action)
    step(request, lambda: run(summary), done)
    return redirect("openday:summary_detail", pk=summary.pk)


@login_required
@require_POST
def summary_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "regenerate",
        lambda s: services.summary_regenerate(summary=s, actor=request.user),
        _("Figures computed again from the records."),
    )


@login_required
@require_POST
def summary_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "approve",
        lambda s: services.summary_approve(summary=s, actor=request.user),
        _("Summary approved: its figures are now frozen."),
    )


@login_required
@require_POST
def summary_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _action(
        request,
        pk,
        "send_back",
        lambda s: services.summary_return(summary=s, actor=request.user, reason=reason),
        _("Summary sent back to draft."),
    )


@login_required
@require_POST
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "publish",
        lambda s: services.summary_publish(summary=s, actor=request.user),
        _("Summary published on the public pages."),
    )


@login_required
@require_POST
def summary_correct(request: HttpRequest, pk: int) -> HttpResponse:
    summary = _summary(request.user, pk, "correct")
    form = forms.ReasonForm(request.POST)
    try:
        correction = services.summary_correct(
            summary=summary,
            actor=request.user,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("openday:summary_detail", pk=summary.pk)
    messages.success(request, _("Correction drafted as a new version."))
    return redirect("openday:summary_detail", pk=correction.pk)


@login_required
@require_http_methods(["GET", "POST"])
def entry_narrative(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    # The summary in the user's scope (404), the role to edit it (403), then its entry: whether
    # an entry exists is told only to those who may edit it.
    summary = _summary(request.user, pk, "edit")
    row = get_object_or_404(SummaryEntry, summary=summary, pk=entry)
    form = forms.NarrativeForm(request.POST or None, initial={"text": row.narrative})
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_narrative(entry=row, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as error:
            # Shown on the form with the text as written: nothing typed is lost.
            apply_errors(form, error)
        else:
            messages.success(request, _("Narrative saved."))
            return redirect("openday:summary_detail", pk=summary.pk)
    presenter = Presenter(threshold=summary.small_count_threshold, public=False)
    return render(
        request,
        "openday/staff/narrative_form.html",
        {
            "summary": summary,
            "entry": row,
            "form": form,
            "figures": presenter.present(row.figures),
            "actions": summary_policy.allowed(request.user, summary),
        },
    )


# Visits ------------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    """The year asked for, else the coming open day's (after 19 June there is nothing left to
    arrange for this year's)."""
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return coming_open_day_year(timezone.localdate())


def _visit_actions(user: User, institution: Institution) -> frozenset[str]:
    """What the user may do about an institution's visits: arrange them (the visit day may not
    exist yet)."""
    if visit_day_policy.allows_arrange_for(user, institution):
        return frozenset({"arrange"})
    return frozenset()


@login_required
@require_GET
def visitday_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("openday.view_visitday"):
        raise Http404
    year = _year(request)
    days = {day.institution_id: day for day in selectors.visit_days_for(user).filter(year=year)}
    institutions = institutions_for(user).filter(
        status__in=[Institution.Status.APPROVED, Institution.Status.SUSPENDED]
    ) | institutions_for(user).filter(pk__in=list(days))
    rows = [
        {
            "institution": institution,
            "day": days.get(institution.pk),
            "actions": _visit_actions(user, institution),
            "left": max(days[institution.pk].capacity - days[institution.pk].booked, 0)
            if institution.pk in days
            else None,
        }
        for institution in institutions.select_related("county").order_by("county__name", "name")
    ]
    return render(
        request,
        "openday/staff/visitday_list.html",
        {
            "year": year,
            "rows": rows,
            "years": [year - 1, year, year + 1],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visitday_edit(request: HttpRequest, year: int, institution: int) -> HttpResponse:
    user = request.user
    if not user.has_perm("openday.view_visitday"):
        raise Http404
    target = get_object_or_404(institutions_for(user), pk=institution)
    visit_day_policy.require_arrange_for(user, target)
    day = target.visit_days.filter(year=year).first()
    initial = {}
    if day is not None:
        initial = {
            "capacity": day.capacity,
            "hours": day.hours,
            "meeting_point": day.meeting_point,
            "registration_open": day.registration_open,
        }
    form = forms.VisitDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_day_set(institution=target, year=year, actor=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Visit arrangements saved."))
            return redirect(f"{_visits_url()}?year={year}")
    return render(
        request,
        "openday/staff/visitday_form.html",
        {"form": form, "institution": target, "year": year, "day": day},
    )


def _visits_url() -> str:
    from django.urls import reverse

    return reverse("openday:visitday_list")


@login_required
@require_GET
def registration_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not user.has_perm("openday.view_registration"):
        raise Http404
    day = get_object_or_404(selectors.visit_days_for(user), pk=pk)
    registrations = selectors.registrations_for(user).filter(visit_day=day)
    return render(
        request,
        "openday/staff/registration_list.html",
        {"day": day, "registrations": registrations, "left": max(day.capacity - day.booked, 0)},
    )


# Complaints --------------------------------------------------------------------------------------


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("openday.view_publiccomplaint"):
        raise Http404
    complaints = selectors.complaints_for(request.user)
    status = request.GET.get("status", "")
    if status in PublicComplaint.Status.values:
        complaints = complaints.filter(status=status)
    return render(
        request,
        "openday/staff/complaint_list.html",
        {
            **list_page(request, complaints),
            "status": status,
            "statuses": PublicComplaint.Status.choices,
        },
    )


def _complaint(user: User, pk: int, action: str | None = None) -> PublicComplaint:
    """The complaint if in the user's scope (404 otherwise); for one of its ``action``s, 403 when
    the user's part does not allow it (its state is the service's to refuse, with the reason)."""
    complaint = get_object_or_404(selectors.complaints_for(user), pk=pk)
    if action is not None:
        complaint_policy.require_role(action, user, complaint)
    return complaint


@login_required
@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request.user, pk)
    user = request.user
    return render(
        request,
        "openday/staff/complaint_detail.html",
        {
            "complaint": complaint,
            # Contact details are for civil-affairs staff, not for supervisors.
            "show_contact": user.is_admin or user.is_civil_affairs_staff,
            "groups": complaint.groups.all(),
            "actions": complaint_policy.allowed(user, complaint),
            "reply_form": forms.ReplyForm(),
            "forward_form": forms.ForwardForm(),
        },
    )


def _complaint_action(request, pk, action: str, run, done) -> HttpResponse:
    complaint = _complaint(request.user, pk, action)
    step(request, lambda: run(complaint), done)
    return redirect("openday:complaint_detail", pk=complaint.pk)


@login_required
@require_POST
def complaint_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _complaint_action(
        request,
        pk,
        "acknowledge",
        lambda c: services.complaint_acknowledge(complaint=c, actor=request.user),
        _("Marked as being handled."),
    )


@login_required
@require_POST
def complaint_reply(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ReplyForm(request.POST)
    reply = form.cleaned_data["reply"] if form.is_valid() else ""
    return _complaint_action(
        request,
        pk,
        "reply",
        lambda c: services.complaint_reply(complaint=c, actor=request.user, reply=reply),
        _("Reply saved; the complainant sees it with the tracking code."),
    )


@login_required
@require_POST
def complaint_forward(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ForwardForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _complaint_action(
        request,
        pk,
        "forward",
        lambda c: services.complaint_forward(complaint=c, actor=request.user, note=note),
        _("Forwarded to the civil-affairs bureau."),
    )
