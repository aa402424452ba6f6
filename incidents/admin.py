"""Incidents in the admin: read-only. Reports are the reporting body's statements and change
only through the services (amendments, closure), so nothing here edits or deletes them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from incidents.models import Alert, Incident, Note, PoliceRecord, Report


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportInline(admin.TabularInline):
    model = Report
    fk_name = "incident"
    extra = 0
    can_delete = False
    fields = ["stage", "submitted_at", "submitted_by", "amends", "amendment_reason"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "grade", "status", "late_minutes", "reported_at"]
    list_filter = ["kind", "grade", "status"]
    inlines = [ReportInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "incident", "stage", "submitted_by"]
    list_filter = ["stage"]


@admin.register(PoliceRecord)
class PoliceRecordAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "incident", "reported_at", "recorded_at"]


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "incident", "created_at", "read_at"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "incident", "created_at"]
