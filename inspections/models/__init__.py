# DEADLINE FOR ALL HELPERS: commit what works by 11:20 UTC (`date`), and end with your report by
# 11:30 UTC at the latest; leave unfinished parts out of your commits and list them in the report.
# NOTE FROM THE LEAD (10:25): issue 7 (monthly reports + risk dashboard) is already being built
# by the helper "reports" in inspections/models/reports.py (migration 0005_monthly_reports).
# If you are the helper "monthly": STOP — do not create models/monthly.py or any monthly_*
# files; delete anything you created, and end with a short report saying you stopped.
from inspections.models.calendar import WorkCalendarDay, WorkCalendarYear
from inspections.models.checklists import Area, ChecklistItem, ChecklistTemplate
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

__all__ = [
    "Area",
    "ChecklistItem",
    "ChecklistTemplate",
    "CustodyAgreement",
    "DeadlineExtension",
    "DocumentKind",
    "Inspection",
    "Institution",
    "Issue",
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
