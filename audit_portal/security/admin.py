"""The security log in the admin, and django-axes's records of sign-in attempts: read only for
everyone, superusers included. They are evidence; rows are only added by the code and trimmed
by the retention command (ours) or axes's own cool-off. A locked account is unlocked with
``manage.py axes_reset_username <name>`` or by waiting out the lock, which leaves the trail."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from audit_portal.security.models import SecurityEvent


class ReadOnly:
    """Shows the rows; offers no add, change, delete or bulk action."""

    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("at", "kind", "username", "address", "outcome", "target")
    list_filter = ("kind", "outcome")
    search_fields = ("username", "address", "target")
    date_hierarchy = "at"
    list_select_related = ("user",)
    show_full_result_count = False


class ReadOnlyAccessAttemptAdmin(ReadOnly, AccessAttemptAdmin):
    def get_readonly_fields(self, request, obj=None):
        # Axes shows the attempt's parameters through its own methods (get_data, status).
        fields = [*super().get_readonly_fields(request, obj), *AccessAttemptAdmin.readonly_fields]
        return list(dict.fromkeys(fields))


class ReadOnlyAccessLogAdmin(ReadOnly, AccessLogAdmin):
    pass


class ReadOnlyAccessFailureLogAdmin(ReadOnly, AccessFailureLogAdmin):
    pass


for _model, _admin in (
    (AccessAttempt, ReadOnlyAccessAttemptAdmin),
    (AccessLog, ReadOnlyAccessLogAdmin),
    (AccessFailureLog, ReadOnlyAccessFailureLogAdmin),
):
    # Only where axes put them (AXES_ENABLE_ADMIN): replaced, never added.
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _admin)
