from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = {
    "incidents.view_incident",
    "incidents.view_report",
    "incidents.view_policerecord",
    "incidents.view_note",
}
# The reporting body files the stages, amendments and police records.
_REPORT = {"incidents.report_incident", "incidents.add_incident", "incidents.add_report"}
# The bodies that receive reports read their alerts, acknowledge and comment.
_RECEIVE = {"incidents.view_alert", "incidents.acknowledge_incident", "incidents.add_note"}


class IncidentsConfig(AppConfig):
    name = "incidents"
    # Demo data (manage.py seed_demo): (order, seeder); seeders run in order across the apps.
    demo_seeds = [(50, "incidents.demo.seed")]
    # City-scale data (manage.py seed_scale): (order, seeder), likewise.
    scale_seeds = [(50, "incidents.scale.seed")]
    verbose_name = _("Incident reports")

    # Institutions report their own incidents; rescue stations report incidents at the station
    # and receive the reports of the institutions they place with; county and city bureaus
    # receive, acknowledge and close. Administrators read and close but file nothing: a report
    # is the reporting body's own statement.
    role_permissions = {
        "admin": _READ | _RECEIVE | {"incidents.close_incident"},
        "staff": _READ | _RECEIVE,
        "staff:city": {"incidents.close_incident"},
        "staff:county": {"incidents.close_incident"},
        "staff:station": _REPORT,
        "institution": _READ | _REPORT,
    }
    navigation = [
        (("admin", "staff", "institution"), _("Incidents"), "incidents:incident_list", "incidents"),
        (("admin", "staff"), _("Incident alerts"), "incidents:alert_list", "incidents"),
        (("admin", "staff"), _("Incident rates"), "incidents:rates", "incidents"),
    ]
    home_panels = [
        (
            ("admin", "staff"),
            "incidents/panels/overdue.html",
            "incidents.selectors.overdue_panel",
        ),
        (
            ("institution",),
            "incidents/panels/reporter.html",
            "incidents.selectors.reporter_panel",
        ),
    ]

    # The daily reminders and the calendar feed (audit_portal/notices/registry.py).
    reminder_sources = (
        "incidents.reminders.stage_reminders",
        "incidents.reminders.forwarding_reminders",
    )
    calendar_sources = ("incidents.reminders.calendar_events",)
    # The to-do inbox (incidents/inbox.py).
    inbox_sources = (
        "incidents.inbox.incidents_to_acknowledge",
        "incidents.inbox.incidents_owing_police",
        "incidents.inbox.supplementary_reports_owed",
        "incidents.inbox.reports_to_forward",
        "incidents.inbox.regulators_to_record",
    )

    def ready(self) -> None:
        # Models load after the app registry: these imports cannot sit at the top of the module.
        from audit_portal.core.evidence import register_owner
        from incidents import selectors
        from incidents.models import Incident, Report
        from inspections import hooks
        from inspections.services.risk import risk_watch

        register_owner(Report, selectors.reports_for)
        # The registry below asks the incident records for what only they know.
        hooks.incident_figures.answer_with(selectors.incident_figures)
        hooks.with_incident_rates.answer_with(selectors.with_incident_rates)
        hooks.incidents_by_kind_per_month.answer_with(selectors.incidents_by_kind_per_month)
        hooks.incident_kinds.answer_with(selectors.incident_kinds)
        # An incident's counts are part of its institution's risk figures.
        risk_watch(Incident)
