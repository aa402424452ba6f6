from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = {"openday.view_summary", "openday.view_visitday", "openday.view_registration"}
# The city bureau drafts the area's summary, approves and publishes it (two different people).
_PUBLISH = {
    "openday.add_summary",
    "openday.change_summary",
    "openday.approve_summary",
    "openday.publish_summary",
}
# Complaints reach the institution's county bureau; the city bureau oversees all.
_COMPLAINTS = {"openday.view_publiccomplaint", "openday.reply_publiccomplaint"}


class OpenDayConfig(AppConfig):
    name = "openday"
    # Demo data (manage.py seed_demo): (order, seeder); seeders run in order across the apps.
    demo_seeds = [(70, "openday.demo.seed")]
    # City-scale data (manage.py seed_scale): (order, seeder), likewise.
    scale_seeds = [(70, "openday.scale.seed")]
    label = "openday"
    verbose_name = _("Open day")

    role_permissions = {
        "admin": _READ | _PUBLISH | _COMPLAINTS | {"openday.change_visitday"},
        "staff": _READ,
        "staff:city": _PUBLISH | _COMPLAINTS | {"openday.change_visitday"},
        "staff:county": _COMPLAINTS | {"openday.change_visitday"},
        # Supervisors see the complaints routed to their group and forward them (DOMAIN §4).
        "supervisor": {"openday.view_publiccomplaint", "openday.forward_publiccomplaint"},
    }
    navigation = [
        (("admin", "staff"), _("Open day"), "openday:summary_list", "openday"),
        (("admin", "staff"), _("Open-day visits"), "openday:visitday_list", "openday"),
        (
            ("admin", "staff:city", "staff:county", "supervisor"),
            _("Public complaints"),
            "openday:complaint_list",
            "openday",
        ),
    ]
    home_panels = [
        (
            ("admin", "staff", "supervisor"),
            "openday/panels/complaints.html",
            "openday.selectors.complaints_panel",
        ),
    ]

    # The to-do inbox (openday/inbox.py).
    inbox_sources = ("openday.inbox.summaries_to_approve",)

    def ready(self) -> None:
        # Models load after the app registry: these imports cannot sit at the top of the module.
        from audit_portal.core.disclosure import register_name_source
        from audit_portal.core.files.registry import register_builder
        from openday import files, selectors

        # Visitors and complainants are people on record: their names are never published.
        register_name_source(selectors.names_on_record)

        # The open day's PDFs are built by the worker (audit_portal/core/files).
        register_builder(files.SUMMARY_KIND, files.build_summary_pdf)
        register_builder(files.POSTER_KIND, files.build_poster)
        register_builder(files.PREVIEW_KIND, files.build_preview)
