from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from audit_portal.accounts import services
from audit_portal.accounts.models import Organisation, User
from audit_portal.core.admin import RegulatedAdmin
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent


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

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        # A redirect answers a password the form accepted and saved.
        if request.method == "POST" and response.status_code == 302:
            record(
                SecurityEvent.Kind.PASSWORD_CHANGED,
                request=request,
                target=f"user {id}",
                detail="set by an administrator",
            )
        return response

    def has_delete_permission(self, request, obj=None):
        # An account that ever acted is named by history rows (history_user), which deleting it
        # would rewrite: accounts end by being deactivated (is_active), never deleted.
        return False


# django-otp's own admin pages would show a user's authenticator secret (its QR code) and the
# recovery codes, and delete them without a reason: the reset is on the two-step verification
# page, with a reason kept in the user's history.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
