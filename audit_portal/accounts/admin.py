from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit_portal.accounts import services
from audit_portal.accounts.models import Organisation, User
from audit_portal.core.admin import RegulatedAdmin


@admin.register(Organisation)
class OrganisationAdmin(RegulatedAdmin):
    # Organisations are kept here only (no page edits them): added and changed through services.
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]

    def _details(self, form) -> dict:
        return {
            name: form.cleaned_data[name]
            for name in services.ORGANISATION_FIELDS
            if name in form.cleaned_data
        }

    def service_create(self, request, form, reason):
        return services.organisation_create(actor=request.user, **self._details(form))

    def service_update(self, request, obj, form, reason):
        return services.organisation_update(
            organisation=obj, actor=request.user, reason=reason, **self._details(form)
        )


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["username", "full_name", "email", "phone"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "email", "phone"]}),
        (_("Role and scope"), {"fields": ["role", "organisation"]}),
        (
            _("Permissions"),
            # No groups or per-user permissions: a role's permissions are declared in the code
            # (AppConfig.role_permissions) and RoleBackend reads nothing else.
            {"fields": ["is_active", "is_staff", "is_superuser"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "role",
                    "organisation",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
