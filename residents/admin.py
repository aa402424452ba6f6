"""The logs of who saw residents' personal data, read-only for administrators. The resident
records themselves have no admin pages: they are written through the pages' services (the
policy, the agreement's places, the clocks) and an admin form would show the ID number in full."""

from django.contrib import admin

from residents.models import ResidentIdView, ResidentReadRequest


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResidentIdView)
class ResidentIdViewAdmin(_ReadOnly):
    list_display = ["viewed_at", "viewer", "resident_id"]
    list_select_related = ["viewer"]


@admin.register(ResidentReadRequest)
class ResidentReadRequestAdmin(_ReadOnly):
    list_display = ["read_at", "reader", "resident_id", "reason"]
    list_select_related = ["reader"]
