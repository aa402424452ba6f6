"""Read only: tokens are created and revoked on the account pages (their services), uses are
recorded by the authentication. The admin shows who holds which token and every use of it."""

from django.contrib import admin

from audit_portal.api.models import ApiToken, ApiTokenUse


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "scope", "prefix", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__username", "user__full_name")
    list_select_related = ("user",)
    exclude = ("key_hash",)

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "key_hash"]


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnlyAdmin):
    list_display = ("at", "token_name", "user", "ip", "method", "path")
    search_fields = ("token_name", "user__username", "ip", "path")
    list_select_related = ("user",)
    date_hierarchy = "at"
