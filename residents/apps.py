from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_READ = {
    "residents.view_resident",
    "residents.view_identitystep",
    "residents.view_settlement",
    "residents.view_returnhome",
    "residents.view_followupvisit",
}
_FULL_ID = {"residents.view_full_id_number_resident"}


class ResidentsConfig(AppConfig):
    """The people in care, one record each, from placement to going home (issue 19)."""

    name = "residents"
    verbose_name = pgettext_lazy("residents app", "Residents")
    # Demo data (manage.py seed_demo): after the registry and its agreements (inspections).
    demo_seeds = [(45, "residents.demo.seed")]

    # PIPL: the caring institution, the placing station, the county bureau of the institution's
    # county, the city bureau and administrators read resident records (which ones: the
    # selectors); supervisors get none (counts only, through the monthly reports). The station
    # places and searches (谁送托、谁负责); the institution records care and discharge.
    role_permissions = {
        "admin": _READ | _FULL_ID,
        "staff": _READ | _FULL_ID,
        "staff:station": {"residents.place_resident"},
        "institution": _READ | _FULL_ID | {"residents.care_resident"},
    }
    navigation = [
        (
            ("admin", "staff", "institution"),
            pgettext_lazy("residents app", "Residents"),
            "residents:resident_list",
            "residents",
        ),
        (
            ("admin", "staff", "institution"),
            _("Returned-home ledger"),
            "residents:return_ledger",
            "residents",
        ),
    ]

    def ready(self) -> None:
        # Models load after the app registry: these imports cannot sit at the top of the module.
        from audit_portal.core.disclosure import register_name_source
        from residents import selectors

        # Residents are people on record: their names are never published.
        register_name_source(selectors.names_on_record)
        # The answers to the inspections app's questions (reports, placements, visits).
        from residents.wiring import connect

        connect()

    # The placing station's overdue steps, pushed to its staff (residents/inbox.py, reminders.py).
    inbox_sources = (
        "residents.inbox.search_notices_overdue",
        "residents.inbox.police_answers_overdue",
        "residents.inbox.long_stays_unsettled",
        "residents.inbox.follow_ups_missed",
    )
    reminder_sources = ("residents.reminders.overdue_reminders",)
    home_panels = [
        (("staff",), "residents/panels/station.html", "residents.inbox.station_panel"),
    ]
