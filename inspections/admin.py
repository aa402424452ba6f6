"""Admin: the work calendar administrators fill in each year, and read access to the registry
and inspection records (changes go through the pages and their services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit_portal.core.admin import RegulatedAdmin
from inspections.models import (
    ChecklistTemplate,
    CustodyAgreement,
    Inspection,
    Institution,
    Issue,
    Placement,
    QualificationDocument,
    WorkCalendarDay,
    WorkCalendarYear,
)


class WorkCalendarDayInline(admin.TabularInline):
    model = WorkCalendarDay
    extra = 10
    fields = ("day", "is_workday", "name")


@admin.register(WorkCalendarYear)
class WorkCalendarYearAdmin(SimpleHistoryAdmin):
    """The State Council's holiday arrangement for a year chinese-calendar does not know yet:
    enter the holidays and the make-up workdays (调休); other days follow Monday–Friday."""

    list_display = ("year", "source")
    inlines = [WorkCalendarDayInline]


class ReadOnlyAdmin(RegulatedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "county", "status")
    list_filter = ("status", "county")
    search_fields = ("name", "credit_code")


@admin.register(QualificationDocument)
class QualificationDocumentAdmin(ReadOnlyAdmin):
    list_display = ("institution", "kind", "number", "valid_until", "status")
    list_filter = ("status", "kind")
    search_fields = ("number", "institution__name")


@admin.register(CustodyAgreement)
class CustodyAgreementAdmin(ReadOnlyAdmin):
    list_display = ("number", "station", "institution", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("number", "institution__name")


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "starts_on", "people", "category")
    list_filter = ("category",)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "version", "status")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("institution", "kind", "planned_on", "status")
    list_filter = ("kind", "status")


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ("number", "institution", "area", "severity", "status", "deadline")
    list_filter = ("status", "severity", "area")
    search_fields = ("number", "description")
