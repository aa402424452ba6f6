"""The scheme's records in Django's admin. Every write goes through ``supervisors.services``, so
the rules, object-permission grants, history (actor and reason) and logging are those of the
pages; a record whose proper changes are steps on the pages is read-only here."""

import datetime

from django.contrib import admin

from audit_portal.core.admin import RegulatedAdmin
from inspections.models import Institution
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


def _all_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def _all_but(model, *editable: str) -> list[str]:
    return [name for name in _all_fields(model) if name not in editable]


@admin.register(Supervisor)
class SupervisorAdmin(RegulatedAdmin):
    """The list shows ID numbers masked; the pages of one supervisor (the form, its history and
    its past versions) show the full number, so opening them is logged as a full view."""

    # Administrators correct a record's details here (typing mistakes, the account link):
    # through supervisor_create / supervisor_update, which move the account's grants.
    list_display = ["full_name", "masked_id_number", "employer", "user"]
    search_fields = ["full_name", "employer"]
    readonly_fields = ["created_at"]

    def _details(self, form) -> dict:
        return {
            name: form.cleaned_data[name]
            for name in services.SUPERVISOR_FIELDS
            if name in form.cleaned_data
        }

    def service_create(self, request, form, reason):
        return services.supervisor_create(actor=request.user, reason=reason, **self._details(form))

    def service_update(self, request, obj, form, reason):
        return services.supervisor_update(
            supervisor=obj, actor=request.user, reason=reason, **self._details(form)
        )

    def _log_full_view(self, request, object_id) -> None:
        supervisor = self.get_object(request, object_id)
        if supervisor is not None and self.has_view_permission(request, supervisor):
            services.id_number_view_log(supervisor=supervisor, viewer=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._log_full_view(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_full_view(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "GET":
            self._log_full_view(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Term)
class TermAdmin(RegulatedAdmin):
    # A term begins when its appointment is filed (the procedure's pages); here it can only end
    # early, through term_end_early (the reason for change is the reason for the early end).
    list_display = ["supervisor", "number", "starts_on", "last_day", "terminated_on"]
    list_filter = ["end_kind"]
    readonly_fields = _all_but(Term, "terminated_on", "end_kind")
    required_fields = ("terminated_on", "end_kind")

    def service_update(self, request, obj, form, reason):
        return services.term_end_early(
            term=obj,
            kind=form.cleaned_data["end_kind"],
            on=form.cleaned_data["terminated_on"],
            reason=reason,
            actor=request.user,
        )


class FindingInline(admin.TabularInline):
    model = VettingFinding
    extra = 0
    can_delete = False
    readonly_fields = ["condition", "met", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(RegulatedAdmin):
    # Read-only: the procedure moves step by step on its pages (order, who and when, the
    # term-limit check); an edit here would skip them.
    list_display = ["supervisor", "invited_on", "stage"]
    list_filter = ["stage"]
    inlines = [FindingInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    can_delete = False
    readonly_fields = ["supervisor", "role", "joined_on", "left_on"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupervisionGroup)
class GroupAdmin(RegulatedAdmin):
    # Created (group_create) and renamed (group_rename) here; members and activation are the
    # group page's steps, since they move the members' grants.
    list_display = ["name", "status"]
    inlines = [MembershipInline]
    readonly_fields = ["status", "created_at"]

    def service_create(self, request, form, reason):
        return services.group_create(name=form.cleaned_data["name"], actor=request.user)

    def service_update(self, request, obj, form, reason):
        return services.group_rename(
            group=obj, name=form.cleaned_data["name"], actor=request.user, reason=reason
        )


@admin.register(Assignment)
class AssignmentAdmin(RegulatedAdmin):
    # Added through group_assign (which grants the members their object permissions) and ended
    # through assignment_end (which withdraws them; the reason for change is the reason for
    # ending). Group, institution and start are not changed afterwards.
    list_display = ["group", "institution", "starts_on", "ends_on"]
    required_fields = ("ends_on",)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["ends_on", "end_reason"]
        return _all_but(Assignment, "ends_on")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "institution":
            # As the group page offers: no assignment to a terminated institution.
            kwargs["queryset"] = Institution.objects.exclude(status=Institution.Status.TERMINATED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_create(self, request, form, reason):
        return services.group_assign(
            group=form.cleaned_data["group"],
            institution=form.cleaned_data["institution"],
            starts_on=form.cleaned_data["starts_on"],
            actor=request.user,
        )

    def service_update(self, request, obj, form, reason):
        # The form's date is the assignment's last day; the service takes the first day
        # without access.
        return services.assignment_end(
            assignment=obj,
            actor=request.user,
            reason=reason,
            on=form.cleaned_data["ends_on"] + datetime.timedelta(days=1),
        )


@admin.register(Complaint)
class ComplaintAdmin(RegulatedAdmin):
    # Forwarded by supervisors themselves (their pages), so not added here; its handling
    # (status and note) is recorded through complaint_update.
    list_display = ["received_on", "supervisor", "institution", "status"]
    list_filter = ["status"]
    readonly_fields = _all_but(Complaint, "status", "handling_note")
    required_fields = ("handling_note",)

    def service_update(self, request, obj, form, reason):
        return services.complaint_update(
            complaint=obj,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["handling_note"],
            actor=request.user,
            reason=reason,
        )


@admin.register(Event)
class EventAdmin(RegulatedAdmin):
    # Recorded (event_record) and corrected (event_update) here, as on the events page.
    list_display = ["held_on", "kind", "title"]
    list_filter = ["kind"]
    filter_horizontal = ["attendees"]

    def _details(self, form) -> dict:
        data = form.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "held_on": data["held_on"],
            "place": data["place"],
            "attendees": list(data["attendees"]),
        }

    def service_create(self, request, form, reason):
        return services.event_record(actor=request.user, **self._details(form))

    def service_update(self, request, obj, form, reason):
        return services.event_update(
            event=obj, actor=request.user, reason=reason, **self._details(form)
        )


@admin.register(Suggestion)
class SuggestionAdmin(RegulatedAdmin):
    # Made by supervisors themselves (their pages), so not added here; civil affairs' response
    # is recorded through suggestion_respond.
    list_display = ["made_on", "supervisor", "institution"]
    readonly_fields = _all_but(Suggestion, "response")
    required_fields = ("response",)

    def service_update(self, request, obj, form, reason):
        return services.suggestion_respond(
            suggestion=obj,
            response=form.cleaned_data["response"],
            actor=request.user,
            reason=reason,
        )


@admin.register(IdNumberView)
class IdNumberViewAdmin(admin.ModelAdmin):
    list_display = ["viewed_at", "viewer", "supervisor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
