"""Read-mostly: notifications are made by the services, robots set on their page (the address
checked there), deliveries sent by the worker. The one write here is trying failed deliveries
again, through the service the delivery log's retries use."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit_portal.core.admin import RegulatedAdmin
from audit_portal.notices import channels, services
from audit_portal.notices.models import Delivery, GroupRobot, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return self.fields or [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "recipient", "created_at", "read_at", "digested_at")
    list_filter = ("kind",)
    search_fields = ("key", "recipient__username", "recipient__full_name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    fields = (
        "recipient",
        "kind",
        "message",
        "params",
        "url",
        "key",
        "created_at",
        "read_at",
        "digested_at",
    )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "channel",
        "status",
        "target",
        "subject",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("target", "subject", "key")
    date_hierarchy = "created_at"
    fields = (
        "channel",
        "status",
        "kind",
        "key",
        "notification",
        "user",
        "organisation",
        "target",
        "subject",
        "body",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    )
    raw_id_fields = ("notification", "user", "organisation")
    actions = ["retry"]

    @admin.action(description=_("Try the failed deliveries again"))
    def retry(self, request, queryset):
        count = services.deliveries_retry(deliveries=queryset, actor=request.user)
        self.message_user(
            request, gettext("%(count)s deliveries queued again.") % {"count": count}, messages.INFO
        )


@admin.register(GroupRobot)
class GroupRobotAdmin(RegulatedAdmin):
    """Shown without its address (a secret that lets anyone post to the group): set on the group
    robots page, which checks it."""

    list_display = ("organisation", "flavour", "host", "active")
    list_filter = ("flavour", "active")
    list_select_related = ("organisation",)
    fields = ("organisation", "flavour", "host", "active")
    readonly_fields = ("host",)

    @admin.display(description=_("Host"))
    def host(self, robot: GroupRobot) -> str:
        return channels.robot_target(robot.url)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # The history lists each change without the address (as ``diff_against`` would show it).
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=["url"], foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
