"""The reporting chain on the incident pages: each report's forwarding clocks with the form for
the bureau that owes one, the safety regulators told and missing, the designated contact.

Scope and roles as the other incident pages (``incidents/views.py``): an incident outside the
user's scope is a 404, a write the user's part does not allow is a 403, a refusal for its state
is the service's message.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit_portal.accounts.models import User
from audit_portal.core.web import apply_errors
from audit_portal.rules import rules
from incidents import events, services
from incidents.chain import Level, chain_of, forward_level, forwarding_clocks, prefetch_chain
from incidents.chain_forms import ForwardForm, RegulatorReportForm
from incidents.models import Forwarding, Incident, Regulator, regulators_required
from incidents.views import _incident


def _detail(incident: Incident) -> str:
    return reverse("incidents:incident_detail", args=[incident.pk]) + "#chain"


def chain_records(incident: Incident, now: datetime.datetime) -> dict:
    """What the page and the PDF show of the chain: the clocks per report, the regulators told
    and those missing (overdue once the initial report's hour is over), the designated contact
    (read with the incident, ``incidents_for``). Three queries, none after ``prefetch_chain``."""
    chain = chain_of(incident)
    prefetch_chain(incident)
    rows = forwarding_clocks(incident, now, chain=chain)
    told = list(incident.regulator_reports.all())  # loaded with the clocks
    recorded = {record.regulator for record in told}
    missing = [r for r in regulators_required(incident.kind) if r not in recorded]
    return {
        "forwarding_rows": rows,
        "regulator_reports": told,
        "regulators_missing": [Regulator(r) for r in missing],
        "regulators_overdue": bool(missing) and now > incident.initial_due_at,
        "designated_contact": events.designated_contact(incident),
        "forwarding_minutes": rules().incident_forwarding_minutes,
    }


def chain_page(user: User, incident: Incident, now: datetime.datetime, actions) -> dict:
    """``chain_records`` and the forms the user may use: a forwarding form on each clock their
    bureau owes, the form to record a regulator."""
    context = chain_records(incident, now)
    level = forward_level(user, incident) if "forward" in actions else None
    previous = ""
    for row in context["forwarding_rows"]:
        for clock in row.clocks:
            if clock.forwarding and clock.level == Level.TO_PROVINCE:
                previous = clock.forwarding.recipient_name or previous
    for row in context["forwarding_rows"]:
        for clock in row.clocks:
            if level == clock.level and clock.owed:
                clock.report.forward_form = ForwardForm(
                    to_province=level == Level.TO_PROVINCE,
                    initial={"report": clock.report.pk, "recipient_name": previous},
                    # One form per report on the page: ids kept apart, names the same.
                    auto_id=f"id_forward_{clock.report.pk}_%s",
                )
    if "record_regulator" in actions:
        context["regulator_form"] = RegulatorReportForm(
            missing=[r.value for r in context["regulators_missing"]]
        )
    return context


@login_required
@require_POST
def report_forward(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request.user, pk, "forward")
    level = forward_level(request.user, incident)
    form = ForwardForm(request.POST, to_province=level == Level.TO_PROVINCE)
    if not form.is_valid():
        messages.error(
            request,
            _("The forwarding was not recorded: %(errors)s")
            % {"errors": " ".join(e for errors in form.errors.values() for e in errors)},
        )
        return redirect(_detail(incident))
    report = incident.reports.filter(pk=form.cleaned_data["report"]).first()
    if report is None:
        messages.error(request, _("That report is not one of this incident's."))
        return redirect(_detail(incident))
    try:
        services.report_forward(
            report=report,
            actor=request.user,
            level=level,
            channel=form.cleaned_data["channel"],
            reference=form.cleaned_data["reference"],
            recipient_name=form.cleaned_data.get("recipient_name", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Forwarding recorded: %(level)s.") % {"level": Forwarding.Level(level).label},
        )
    return redirect(_detail(incident))


@login_required
@require_POST
def regulator_report_add(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request.user, pk, "record_regulator")
    form = RegulatorReportForm(request.POST)
    if form.is_valid():
        try:
            services.regulator_report_add(
                incident=incident, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Report to the regulator recorded."))
            return redirect(_detail(incident))
    return render(
        request,
        "incidents/chain/regulator_form.html",
        {"form": form, "incident": incident, "place": incident.place_name},
    )
