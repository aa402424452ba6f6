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


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Institutions and inspections")

    # City and county bureaus register and vet institutions; stations sign agreements and place
    # residents; institution users keep their own documents current.
    role_permissions = {
        "admin": _READ_REGISTRY
        | _EDIT_REGISTRY
        | _SIGN_AGREEMENTS
        | _READ_INSPECTIONS
        | _STAFF_INSPECTIONS
        | _EDIT_CHECKLISTS,
        "staff": _READ_REGISTRY | _READ_INSPECTIONS | _STAFF_INSPECTIONS,
        "staff:city": _EDIT_REGISTRY | _EDIT_CHECKLISTS,
        "staff:county": _EDIT_REGISTRY,
        "staff:station": _SIGN_AGREEMENTS,
        # Supervisors inspect the institutions assigned to them (DOMAIN §4) and list issues.
        "supervisor": _READ_INSPECTIONS | _INSPECT,
        "institution": {
            "inspections.add_qualificationdocument",
            "inspections.view_inspection",
            "inspections.view_issue",
            "inspections.add_rectification",
            "inspections.add_deadlineextension",
        },
    }
    navigation = [
        (("admin", "staff"), _("Institutions"), "inspections:institution_list"),
        (("admin", "staff"), _("Expiring documents"), "inspections:document_expiring"),
        (("institution",), _("My institution"), "inspections:my_institution"),
        (
            ("admin", "staff", "supervisor", "institution"),
            _("Inspections"),
            "inspections:inspection_list",
        ),
        (("admin", "staff"), _("Monthly visits"), "inspections:visit_list"),
        (("admin", "staff"), _("Checklists"), "inspections:template_list"),
        (
            ("admin", "staff", "supervisor"),
            _("Issue ledger"),
            "inspections:issue_ledger",
        ),
        (("institution",), _("My open issues"), "inspections:issue_ledger"),
    ]

    home_panels = [
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
    ]

    def ready(self) -> None:
        from audit_portal.core.evidence import register_owner
        from inspections.models import ItemResult, QualificationDocument, Rectification
        from inspections.selectors import documents_for
        from inspections.selectors.inspections import rectifications_for, results_for

        register_owner(QualificationDocument, documents_for)
        register_owner(ItemResult, results_for)
        register_owner(Rectification, rectifications_for)
