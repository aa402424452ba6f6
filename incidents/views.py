"""Incident pages.

Who may do what: institution users and rescue-station staff file reports for their own place;
civil-affairs staff read the incidents in their scope, acknowledge and comment, and the county
and city bureaus close them. Supervisors have no incident pages (404). An incident outside the
user's scope is a 404; a write the user's part in an incident in scope does not allow is a 403
(``incidents/policies.py``), and a refusal for its state is the service's, shown with the reason.
Pages offer the actions the policy allows (``actions``), never deciding from a status themselves.
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
from audit_portal.core.pdf import pdf_response, render_pdf
from audit_portal.core.web import apply_errors, list_page
from audit_portal.rules import rules
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent
from incidents import forms, selectors, services
from incidents import residents as incident_residents
from incidents.chain import mark_regulators_missing, prefetch_chain
from incidents.filters import IncidentFilter
from incidents.models import Incident, Report, Stage
from incidents.policies import closing_missing, incident_policy, report_policy
from incidents.timeline import timeline


def _area(user: User) -> None:
    """Incident pages exist for users who may read incidents; others get 404."""
    if not user.has_perm("incidents.view_incident"):
        raise Http404


def _incident(user: User, pk: int, action: str | None = None) -> Incident:
    """The incident if in scope (404 otherwise); for one of its ``action``s, 403 when the
    user's part in it does not allow the action (its state is the service's to refuse, with the
    reason)."""
    _area(user)
    # Who declared it over is on the page and the timeline: read with it.
    incident = get_object_or_404(selectors.incidents_for(user).select_related("over_by"), pk=pk)
    if action is not None:
        incident_policy.require_role(action, user, incident)
    return incident


def _report(user: User, pk: int, action: str) -> Report:
    """One report of an incident in scope, for one of its actions (as ``_incident``)."""
    _area(user)
    report = get_object_or_404(
        selectors.reports_for(user).select_related("incident__institution", "incident__station"),
        pk=pk,
    )
    report_policy.require_role(action, user, report)
    return report


def _place_actions(user: User, institution, station) -> frozenset[str]:
    """What the user may do where no incident exists yet: report one at their own place."""
    if incident_policy.allows_report_for(user, institution=institution, station=station):
        return frozenset({"report"})
    return frozenset()


@login_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    _area(request.user)
    institution, station = selectors.reporting_places(request.user)
    context = list_page(request, selectors.incidents_for(request.user), IncidentFilter)
    page = context["page"]
    page.object_list = list(page.object_list)
    now = timezone.now()
    selectors.mark_deadlines(page.object_list, now)
    mark_regulators_missing(page.object_list)
    for incident in page.object_list:
        # Set on the rows, not compared in the template, so that the rows' markup depends on
        # them alone ({% memo page %}).
        incident.forwarding_late = (
            incident.forwarding_due_at is not None and incident.forwarding_due_at < now
        )
        incident.initial_late = incident.initial_due_at < now
    return render(
        request,
        "incidents/incident_list.html",
        {**context, "actions": _place_actions(request.user, institution, station)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    _area(request.user)
    institution, station = selectors.reporting_places(request.user)
    incident_policy.require_report_for(request.user, institution=institution, station=station)
    form = forms.InitialReportForm(
        request.POST or None,
        request.FILES or None,
        residents=incident_residents.residents_to_name(request.user, institution),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_report(
                actor=request.user,
                institution=institution,
                station=station,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                discovered_at=data["discovered_at"],
                fields=form.stage_data(),
                figures=form.figures(),
                police=form.police(),
                resident_found_at=data.get("resident_found_at"),
                uploads=form.uploads(),
                resident=data.get("resident"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if incident.is_late:
                messages.warning(
                    request,
                    _("Report received %(minutes)d minutes after the deadline.")
                    % {"minutes": incident.late_minutes},
                )
            messages.success(request, _("Initial report received and the bureaus alerted."))
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(
        request,
        "incidents/report_form.html",
        {
            "form": form,
            "title": _("Initial report"),
            "place": institution or station,
            "minutes": rules().incident_initial_report_minutes,
        },
    )


@login_required
@require_GET
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The chain's pages use this module's access helpers: imported here, not at the top.
    from incidents.chain_views import chain_page

    # Reports, forwardings, alerts and regulator records once, for the policy and the page.
    incident = prefetch_chain(_incident(request.user, pk))
    user = request.user
    now = timezone.now()
    actions = incident_policy.allowed(user, incident)
    events = timeline(incident, now)
    report_events = [event.obj for event in events if event.kind == "report"]
    selectors.with_attachments(report_events)
    # The timeline holds every version, so which are amended is known without a query each.
    amended = {report.amends_id for report in report_events if report.amends_id}
    for report in report_events:
        report.superseded = report.pk in amended
        report.actions = report_policy.allowed(user, report)
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "events": events,
            "reports": services.reports_in_force(incident, report_events),
            "police_outstanding": incident.police_outstanding(now),
            "supplementary_due": selectors.supplementary_due_at(
                incident, [event.obj for event in events if event.kind == "change"]
            ),
            "close_missing": _close_missing(user, incident, now, actions),
            "resident": incident_residents.resident_on_record(user, incident),
            "over_form": forms.DeclareOverForm(),
            "now": now,
            "actions": actions,
            "comment_form": forms.CommentForm(),
            "close_form": forms.CloseForm(),
            **chain_page(user, incident, now, actions),
        },
    )


def _close_missing(user: User, incident: Incident, now, actions) -> list[str]:
    """For staff who may close the incident (in scope: it was found) once it is complete: what
    it still lacks."""
    if "close" in actions or incident.is_closed():
        return []
    if not user.has_perm("incidents.close_incident"):
        return []
    return closing_missing(incident, now)


def _stage_initial(incident: Incident, stage: Stage) -> dict:
    """A follow-up or final report starts from the figures known now (the latest change in
    casualties not yet answered, else the incident's); the final report from when it happened."""
    initial = selectors.known_casualties(incident)
    if stage == Stage.FINAL:
        initial["event_time"] = incident.occurred_at
    return initial


def _stage_page(request: HttpRequest, pk: int, stage: Stage) -> HttpResponse:
    action = "follow_up" if stage == Stage.FOLLOWUP else "final"
    incident = _incident(request.user, pk, action)
    data = (request.POST or None, request.FILES or None)
    initial = _stage_initial(incident, stage)
    if stage == Stage.FOLLOWUP:
        form = forms.FollowupForm(*data, incident=incident, initial=initial)
    else:
        form = forms.FinalForm(*data, incident=incident, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if stage == Stage.FOLLOWUP:
                services.report_followup(
                    incident=incident,
                    actor=request.user,
                    fields=form.stage_data(),
                    figures=form.figures(),
                    police=form.police(),
                    resident_found_at=form.cleaned_data.get("resident_found_at"),
                    uploads=form.uploads(),
                )
            else:
                services.report_final(
                    incident=incident,
                    actor=request.user,
                    fields=form.stage_data(),
                    figures=form.figures(),
                    uploads=form.uploads(),
                    over_reason=form.cleaned_data.get("over_reason", ""),
                    missing_confirmed=form.cleaned_data.get("missing_confirmed", False),
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Report received."))
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(
        request,
        "incidents/report_form.html",
        {
            "form": form,
            "title": stage.label,
            "incident": incident,
            "place": incident.place_name,
            "still_missing": stage == Stage.FINAL and initial["missing_count"] > 0,
            "supplementary_due": selectors.supplementary_due_at(incident),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_followup(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_page(request, pk, Stage.FOLLOWUP)


@login_required
@require_http_methods(["GET", "POST"])
def incident_final(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_page(request, pk, Stage.FINAL)


@login_required
@require_http_methods(["GET", "POST"])
def report_amend(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request.user, pk, "amend")
    incident = report.incident
    stage = Stage(report.stage)
    initial = {name: getattr(report, name) for name in form_names(stage)}
    form = forms.AmendForm(
        request.POST or None, request.FILES or None, stage=stage, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_amend(
                report=report,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                fields=form.stage_data(),
                figures=form.figures(),
                uploads=form.uploads(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Amendment received; the original stays on record."))
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(
        request,
        "incidents/report_form.html",
        {
            "form": form,
            "title": _("Amend: %(report)s") % {"report": report},
            "incident": incident,
            "place": incident.place_name,
            "original": report,
        },
    )


def form_names(stage: Stage) -> list[str]:
    from incidents.models import FIGURES, STAGE_FIELDS

    return [*STAGE_FIELDS[stage], *FIGURES]


@login_required
@require_http_methods(["GET", "POST"])
def police_record_add(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request.user, pk, "police_record")
    form = forms.PoliceRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.police_record_add(incident=incident, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Police record saved."))
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(
        request,
        "incidents/report_form.html",
        {
            "form": form,
            "title": _("Police record"),
            "incident": incident,
            "place": incident.place_name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def casualties_change(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request.user, pk, "record_change")
    initial = selectors.known_casualties(incident)
    form = forms.CasualtyChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.casualties_change(
                incident=incident, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if change.demands_report:
                messages.warning(
                    request,
                    _("Change recorded: a supplementary report is due by %(due)s.")
                    % {"due": timezone.localtime(change.report_due_at).strftime("%Y-%m-%d %H:%M")},
                )
            else:
                messages.success(request, _("Change recorded."))
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(
        request,
        "incidents/report_form.html",
        {
            "form": form,
            "title": _("Change in casualties"),
            "incident": incident,
            "place": incident.place_name,
            "window_ends_at": incident.followup_window_ends_at,
            "answer_minutes": rules().incident_forwarding_minutes,
        },
    )


@login_required
@require_POST
def incident_declare_over(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.DeclareOverForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _staff_action(
        request,
        pk,
        "declare_over",
        lambda incident: services.incident_declare_over(
            incident=incident, actor=request.user, reason=reason
        ),
    )


def _staff_action(request: HttpRequest, pk: int, action: str, write) -> HttpResponse:
    incident = _incident(request.user, pk, action)
    try:
        write(incident)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("incidents:incident_detail", pk=incident.pk)


@login_required
@require_POST
def incident_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        "acknowledge",
        lambda incident: services.incident_acknowledge(incident=incident, actor=request.user),
    )


@login_required
@require_POST
def incident_comment(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.CommentForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _staff_action(
        request,
        pk,
        "comment",
        lambda incident: services.incident_comment(
            incident=incident, actor=request.user, text=text
        ),
    )


@login_required
@require_POST
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.CloseForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _staff_action(
        request,
        pk,
        "close",
        lambda incident: services.incident_close(incident=incident, actor=request.user, text=text),
    )


@login_required
@require_GET
def incident_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from incidents.chain_views import chain_records

    incident = _incident(request.user, pk)
    pdf = render_pdf(
        "incidents/pdf/incident.html",
        {
            "incident": incident,
            "reports": selectors.with_attachments(
                list(incident.reports.select_related("submitted_by", "amends"))
            ),
            "police_records": list(incident.police_records.all()),
            "alerts": list(incident.alerts.select_related("recipient")),
            "notes": list(incident.notes.select_related("author", "organisation")),
            "printed_at": timezone.now(),
            **chain_records(incident, timezone.now()),
        },
    )
    # Names residents and what happened to them (health, injuries, deaths).
    record(
        SecurityEvent.Kind.PERSONAL_DATA_PDF,
        request=request,
        target=f"incident {incident.pk} ({incident.number})",
    )
    return pdf_response(pdf, f"incident-{incident.number}.pdf")
