from inspections.models.calendar import WorkCalendarDay, WorkCalendarYear
from inspections.models.checklists import Area, ChecklistItem, ChecklistTemplate
from inspections.models.imports import ImportUpload
from inspections.models.inspections import (
    DeadlineExtension,
    Inspection,
    Issue,
    ItemResult,
    Rectification,
)
from inspections.models.registry import (
    CustodyAgreement,
    DocumentKind,
    Institution,
    Placement,
    QualificationDocument,
    ResidentCategory,
)
from inspections.models.reports import MonthlyReport, MonthlyReportLine
from inspections.models.risk import InstitutionRisk, IssueTally
from inspections.models.signatures import InspectionSignature

__all__ = [
    "Area",
    "ChecklistItem",
    "ChecklistTemplate",
    "CustodyAgreement",
    "DeadlineExtension",
    "DocumentKind",
    "ImportUpload",
    "Inspection",
    "InspectionSignature",
    "Institution",
    "InstitutionRisk",
    "Issue",
    "IssueTally",
    "ItemResult",
    "MonthlyReport",
    "MonthlyReportLine",
    "Placement",
    "QualificationDocument",
    "Rectification",
    "ResidentCategory",
    "WorkCalendarDay",
    "WorkCalendarYear",
]
