from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ_REGISTRY = {
    "inspections.view_institution",
    "inspections.view_qualificationdocument",
    "inspections.view_custodyagreement",
    "inspections.view_placement",
}
_EDIT_REGISTRY = {
    "inspections.add_institution",
    "inspections.change_institution",
    "inspections.change_institution_status",
    "inspections.verify_document",
    "inspections.add_qualificationdocument",
    "accounts.add_user",
}
_SIGN_AGREEMENTS = {
    "inspections.add_custodyagreement",
    "inspections.change_custodyagreement",
    "inspections.activate_custodyagreement",
    "inspections.add_placement",
}

_READ_INSPECTIONS = {
    "inspections.view_inspection",
    "inspections.view_issue",
    "inspections.view_checklisttemplate",
}
# Everyone who inspects: plan, conduct, raise issues, verify rectification.
_INSPECT = {
    "inspections.add_inspection",
    "inspections.change_inspection",
    "inspections.add_issue",
    "inspections.verify_rectification",
}
_STAFF_INSPECTIONS = _INSPECT | {
    "inspections.finalise_inspection",
    "inspections.decide_extension",
}
_EDIT_CHECKLISTS = {
    "inspections.add_checklisttemplate",
    "inspections.change_checklisttemplate",
}
# Monthly status reports (DOMAIN §3): staff read them; the placing station reviews them.
_READ_REPORTS = {"inspections.view_monthlyreport", "inspections.view_monthlyreportline"}
_REVIEW_REPORTS = {"inspections.review_monthlyreport"}
_FILE_REPORTS = _READ_REPORTS | {
    "inspections.add_monthlyreport",
    "inspections.change_monthlyreport",
}


class InspectionsConfig(AppConfig):
    name = "inspections"
    # Demo data (manage.py seed_demo): (order, seeder); seeders run in order across the apps.
    demo_seeds = [
        (20, "inspections.demo.seed"),
        (40, "inspections.demo_inspections.seed"),
        (60, "inspections.demo_reports.seed"),
    ]
    # City-scale data (manage.py seed_scale): (order, seeder), likewise.
    scale_seeds = [
        (20, "inspections.scale.seed"),
        (40, "inspections.scale_inspections.seed"),
        (60, "inspections.scale_reports.seed"),
        # The dashboard's stored figures, once every record above is written.
        (65, "inspections.scale.count_risk"),
    ]
    verbose_name = _("Institutions and inspections")

    # City and county bureaus register and vet institutions; stations sign agreements and place
    # residents; institution users keep their own documents current.
    role_permissions = {
        "admin": _READ_REGISTRY
        | _EDIT_REGISTRY
        | _SIGN_AGREEMENTS
        | _READ_INSPECTIONS
        | _STAFF_INSPECTIONS
        | _EDIT_CHECKLISTS
        | _READ_REPORTS
        | _REVIEW_REPORTS,
        "staff": _READ_REGISTRY | _READ_INSPECTIONS | _STAFF_INSPECTIONS | _READ_REPORTS,
        "staff:city": _EDIT_REGISTRY | _EDIT_CHECKLISTS,
        "staff:county": _EDIT_REGISTRY,
        "staff:station": _SIGN_AGREEMENTS | _REVIEW_REPORTS,
        # Supervisors inspect the institutions assigned to them (DOMAIN §4) and list issues.
        "supervisor": _READ_INSPECTIONS | _INSPECT,
        "institution": {
            "inspections.add_qualificationdocument",
            "inspections.view_inspection",
            "inspections.view_issue",
            "inspections.add_rectification",
            "inspections.add_deadlineextension",
        }
        | _FILE_REPORTS,
    }
    # Pages of one issue belong to the issue ledger in the menu, whatever their path.
    ISSUE_PAGES = (
        "inspections:issue_detail",
        "inspections:issue_create",
        "inspections:rectification_submit",
        "inspections:rectification_decide",
        "inspections:extension_request",
        "inspections:extension_decide",
    )
    navigation = [
        (("admin", "staff"), _("Institutions"), "inspections:institution_list", "registry"),
        (
            ("admin", "staff"),
            _("Expiring documents"),
            "inspections:document_expiring",
            "registry",
        ),
        (("institution",), _("My institution"), "inspections:my_institution", "registry"),
        (
            ("admin", "staff", "supervisor", "institution"),
            _("Inspections"),
            "inspections:inspection_list",
            "inspections",
            ("inspections:inspection_create",),
        ),
        (("admin", "staff"), _("Monthly visits"), "inspections:visit_list", "inspections"),
        (("admin", "staff"), _("Checklists"), "inspections:template_list", "inspections"),
        (
            ("admin", "staff", "supervisor"),
            _("Issue ledger"),
            "inspections:issue_ledger",
            "inspections",
            ISSUE_PAGES,
        ),
        (
            ("institution",),
            _("My open issues"),
            "inspections:issue_ledger",
            "inspections",
            ISSUE_PAGES,
        ),
        (
            ("admin", "staff", "institution"),
            _("Monthly reports"),
            "inspections:report_list",
            "reports",
        ),
        (("admin", "staff"), _("Risk dashboard"), "inspections:dashboard", "reports"),
    ]

    home_panels = [
        # The risk dashboard comes first: where to go first is the first question of the day.
        (
            ("admin", "staff"),
            "inspections/dashboard/panel.html",
            "inspections.selectors.dashboard.dashboard_panel",
        ),
        (
            ("admin", "staff"),
            "inspections/reports/review_panel.html",
            "inspections.selectors.reports.review_panel",
        ),
        (
            ("admin", "staff"),
            "inspections/panels/expiring.html",
            "inspections.selectors.expiring_panel",
        ),
        (
            ("institution",),
            "inspections/panels/my_institution.html",
            "inspections.selectors.my_institution_panel",
        ),
        (
            ("institution",),
            "inspections/reports/panel.html",
            "inspections.selectors.reports.filing_panel",
        ),
    ]

    # The daily reminders and the calendar feed (audit_portal/notices/registry.py).
    reminder_sources = (
        "inspections.reminders.document_reminders",
        "inspections.reminders.deadline_reminders",
        "inspections.reminders.report_reminders",
        "inspections.reminders.visit_reminders",
        "inspections.reminders.comment_reminders",
        "inspections.reminders.inspection_reminders",
    )
    calendar_sources = ("inspections.calendar_events.calendar_events",)
    # The to-do inbox: what waits for each role (inspections/inbox.py).
    inbox_sources = (
        "inspections.inbox.rectifications_to_verify",
        "inspections.inbox.extensions_to_decide",
        "inspections.inbox.documents_to_check",
        "inspections.inbox.reports_to_review",
        "inspections.inbox.visits_missing",
        "inspections.inbox.my_issues_due",
        "inspections.inbox.my_reports_for_comments",
        "inspections.inbox.my_reports_to_send",
    )

    def ready(self) -> None:
        from audit_portal.core.evidence import register_owner
        from inspections.models import (
            Inspection,
            ItemResult,
            QualificationDocument,
            Rectification,
        )
        from inspections.selectors import documents_for
        from inspections.selectors.inspections import (
            inspections_for,
            rectifications_for,
            results_for,
        )

        register_owner(QualificationDocument, documents_for)
        register_owner(ItemResult, results_for)
        register_owner(Rectification, rectifications_for)
        # The signatures given on site (InspectionSignature.image).
        register_owner(Inspection, inspections_for)
        # The Excel ledgers are built by the worker (audit_portal/core/files).
        from audit_portal.core.files.registry import register_builder
        from inspections import exports, exports_reports

        # Both name people (responsible persons, who raised an issue) or carry free text.
        register_builder(exports.KIND, exports.build_issue_ledger, personal_data=True)
        register_builder(
            exports_reports.KIND, exports_reports.build_report_ledger, personal_data=True
        )
        _watch_risk_sources()


def _watch_risk_sources() -> None:
    """The records the risk dashboard's figures are counted from (``InstitutionRisk``)."""
    from inspections.models import (
        CustodyAgreement,
        Inspection,
        Institution,
        Issue,
        MonthlyReport,
        QualificationDocument,
    )
    from inspections.services.risk import risk_watch

    risk_watch(Institution, "pk")
    for model in (CustodyAgreement, Inspection, Issue, MonthlyReport, QualificationDocument):
        risk_watch(model)
