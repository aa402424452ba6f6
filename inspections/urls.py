from django.urls import path

from inspections.views import (
    checklists,
    dashboard,
    documents,
    exports,
    imports,
    inspections,
    issues,
    ledger,
    registry,
    reports,
    signatures,
    visits,
)

app_name = "inspections"

urlpatterns = [
    path("", registry.institution_list, name="institution_list"),
    path("new/", registry.institution_create, name="institution_create"),
    path("mine/", registry.my_institution, name="my_institution"),
    path("imports/", imports.import_upload, name="institution_import"),
    path("imports/template.xlsx", imports.import_template, name="institution_import_template"),
    path("imports/<uuid:pk>/", imports.import_preview, name="institution_import_preview"),
    path("imports/<uuid:pk>/confirm/", imports.import_confirm, name="institution_import_confirm"),
    path("<int:pk>/", registry.institution_detail, name="institution_detail"),
    path("<int:pk>/edit/", registry.institution_edit, name="institution_edit"),
    path("<int:pk>/status/", registry.institution_status, name="institution_status"),
    path("<int:pk>/history/", registry.institution_history_view, name="institution_history"),
    path("<int:pk>/documents/new/", registry.document_upload, name="document_upload"),
    path("<int:pk>/accounts/new/", registry.account_create, name="account_create"),
    path("documents/<int:pk>/review/", registry.document_review, name="document_review"),
    path("documents/expiring/", registry.document_expiring, name="document_expiring"),
    path("agreements/new/", registry.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/activate/", registry.agreement_activate, name="agreement_activate"),
    path("agreements/<int:pk>/status/", registry.agreement_status, name="agreement_status"),
    path("agreements/<int:pk>/placements/", registry.placement_create, name="placement_create"),
    # Checklists
    path("checklists/", checklists.template_list, name="template_list"),
    path("checklists/<int:pk>/", checklists.template_detail, name="template_detail"),
    path("checklists/<int:pk>/edit/", checklists.template_edit, name="template_edit"),
    # Inspections
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("<int:pk>/inspections/new/", inspections.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/start/", inspections.inspection_start, name="inspection_start"),
    path("inspections/<int:pk>/record/", inspections.inspection_record, name="inspection_record"),
    path("inspections/<int:pk>/submit/", inspections.inspection_submit, name="inspection_submit"),
    path("inspections/<int:pk>/sign/", signatures.inspection_sign, name="inspection_sign"),
    path(
        "inspections/<int:pk>/sign/refusal/",
        signatures.inspection_sign_refusal,
        name="inspection_sign_refusal",
    ),
    path(
        "inspections/<int:pk>/open-comments/",
        inspections.inspection_open_comments,
        name="inspection_open_comments",
    ),
    path(
        "inspections/<int:pk>/comment/", inspections.inspection_comment, name="inspection_comment"
    ),
    path(
        "inspections/<int:pk>/finalise/",
        inspections.inspection_finalise,
        name="inspection_finalise",
    ),
    path(
        "inspections/<int:pk>/recheck/", inspections.inspection_recheck, name="inspection_recheck"
    ),
    path("inspections/<int:pk>/report.pdf", documents.inspection_pdf, name="inspection_pdf"),
    path("inspections/<int:pk>/notice.pdf", documents.notice_pdf, name="notice_pdf"),
    # Issues and rectification
    path("issues/", ledger.issue_ledger, name="issue_ledger"),
    path("issues/export/", exports.issue_ledger_export, name="issue_ledger_export"),
    path("<int:pk>/issues/new/", issues.issue_create, name="issue_create"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/rectify/", issues.rectification_submit, name="rectification_submit"),
    path("issues/<int:pk>/extension/", issues.extension_request, name="extension_request"),
    path(
        "rectifications/<int:pk>/decide/",
        issues.rectification_decide,
        name="rectification_decide",
    ),
    path("extensions/<int:pk>/decide/", issues.extension_decide, name="extension_decide"),
    # Monthly visits
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    # Monthly status reports and the staff risk dashboard
    path("reports/", reports.report_list, name="report_list"),
    path("reports/late/", reports.report_late, name="report_late"),
    path("reports/export/", exports.report_export, name="report_export"),
    path("reports/new/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/explain/", reports.report_explain, name="report_explain"),
    path("reports/<int:pk>/review/", reports.report_review, name="report_review"),
    path("reports/<int:pk>/amend/", reports.report_amend, name="report_amend"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
