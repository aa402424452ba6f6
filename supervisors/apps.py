from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = (
    "supervisor",
    "appointment",
    "term",
    "supervisiongroup",
    "groupmembership",
    "assignment",
    "event",
    "complaint",
    "suggestion",
)
# The joint-meeting office sits at the city bureau: city staff run the whole scheme.
_RUN_SCHEME = {
    f"supervisors.{action}_{model}" for model in _MODELS for action in ("view", "add", "change")
} | {"supervisors.run_appointments", "supervisors.view_full_id_number"}
# County bureaus see (read-only, ID numbers masked) the supervisors working in their county.
_VIEW_IN_COUNTY = {"supervisors.view_supervisor", "supervisors.view_supervisiongroup"}


class SupervisorsConfig(AppConfig):
    name = "supervisors"
    # Demo data (manage.py seed_demo): (order, seeder); seeders run in order across the apps.
    demo_seeds = [(30, "supervisors.demo.seed")]
    # City-scale data (manage.py seed_scale): (order, seeder), likewise.
    scale_seeds = [(30, "supervisors.scale.seed")]
    verbose_name = _("Invited supervisors")

    role_permissions = {
        "admin": _RUN_SCHEME | {"supervisors.override_term_limit"},
        "staff:city": _RUN_SCHEME,
        "staff:county": _VIEW_IN_COUNTY,
    }
    navigation = [
        # Stations have no part in the supervisor scheme (their list answers 404).
        (
            ("admin", "staff:city", "staff:county"),
            _("Supervisors"),
            "supervisors:supervisor_list",
            "supervisors",
        ),
        (("supervisor",), _("My supervision"), "supervisors:my_record", "supervisors"),
    ]
    home_panels = [
        (
            ("admin", "staff"),
            "supervisors/panels/terms_ending.html",
            "supervisors.selectors.terms_ending_panel",
        ),
        (
            ("supervisor",),
            "supervisors/panels/my_supervision.html",
            "supervisors.selectors.my_supervision_panel",
        ),
    ]

    # The daily reminders and the calendar feed (audit_portal/notices/registry.py).
    reminder_sources = ("supervisors.reminders.term_reminders",)
    calendar_sources = ("supervisors.reminders.calendar_events",)

    def ready(self) -> None:
        # Models load after the app registry: these imports cannot sit at the top of the module.
        from inspections import hooks
        from supervisors import selectors

        # Which institutions a supervisor sees, and who is assigned where, is this app's to say.
        hooks.supervised_institutions.answer_with(selectors.supervised_institutions)
        hooks.assigned_supervisor_users.answer_with(selectors.assigned_supervisor_users)
        hooks.group_supervisor_users.answer_with(selectors.group_supervisor_users)
        hooks.supervisors_working_at.answer_with(selectors.supervisors_working_at)
        hooks.supervisors_not_on_team.answer_with(selectors.supervisors_not_on_team)
