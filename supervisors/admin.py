from django.contrib import admin

from audit_portal.core.admin import RegulatedAdmin
from supervisors import services
from supervisors.models import (
    Appointment,
    Assignment,
    Complaint,
    Event,
    GroupMembership,
    IdNumberView,
    Suggestion,
    SupervisionGroup,
    Supervisor,
    Term,
    VettingFinding,
)


@admin.register(Supervisor)
class SupervisorAdmin(RegulatedAdmin):
    """The list shows ID numbers masked; the pages of one supervisor (the form, its history and
    its past versions) show the full number, so opening them is logged as a full view."""

    list_display = ["full_name", "masked_id_number", "employer", "user"]
    search_fields = ["full_name", "employer"]

    def save_model(self, request, obj, form, change):
        previous_user_id = form.initial.get("user") if change else None
        super().save_model(request, obj, form, change)
        services.supervisor_account_changed(supervisor=obj, previous_user_id=previous_user_id)

    def _log_full_view(self, request, object_id) -> None:
        supervisor = self.get_object(request, object_id)
        if supervisor is not None and self.has_view_permission(request, supervisor):
            IdNumberView.objects.create(supervisor=supervisor, viewer=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._log_full_view(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_full_view(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._log_full_view(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Term)
class TermAdmin(RegulatedAdmin):
    list_display = ["supervisor", "number", "starts_on", "last_day", "terminated_on"]
    list_filter = ["end_kind"]


class FindingInline(admin.TabularInline):
    model = VettingFinding
    extra = 0
    can_delete = False
    readonly_fields = ["condition", "met", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(RegulatedAdmin):
    list_display = ["supervisor", "invited_on", "stage"]
    list_filter = ["stage"]
    # The procedure moves through its services (order, who and when); not edited by hand.
    readonly_fields = ["stage"]
    inlines = [FindingInline]


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    can_delete = False
    readonly_fields = ["supervisor", "role", "joined_on", "left_on"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupervisionGroup)
class GroupAdmin(RegulatedAdmin):
    list_display = ["name", "status"]
    inlines = [MembershipInline]
    readonly_fields = ["status"]


@admin.register(Assignment)
class AssignmentAdmin(RegulatedAdmin):
    list_display = ["group", "institution", "starts_on", "ends_on"]


@admin.register(Complaint)
class ComplaintAdmin(RegulatedAdmin):
    list_display = ["received_on", "supervisor", "institution", "status"]
    list_filter = ["status"]


@admin.register(Event)
class EventAdmin(RegulatedAdmin):
    list_display = ["held_on", "kind", "title"]
    list_filter = ["kind"]
    filter_horizontal = ["attendees"]


@admin.register(Suggestion)
class SuggestionAdmin(RegulatedAdmin):
    list_display = ["made_on", "supervisor", "institution"]


@admin.register(IdNumberView)
class IdNumberViewAdmin(admin.ModelAdmin):
    list_display = ["viewed_at", "viewer", "supervisor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
