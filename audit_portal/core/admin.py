from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit_portal.core.history import stamp
from audit_portal.core.models import EvidenceFile


class ReasonForChangeForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when editing an existing record; kept in its history."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason", _("Give the reason for this change."))
        return cleaned


class RegulatedAdmin(SimpleHistoryAdmin):
    """Admin for regulated records: edits need a reason, history is one click away, and nothing
    is deleted (records end through a status change, which keeps the trace)."""

    form = ReasonForChangeForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        names = [name for _title, opts in fieldsets for name in opts.get("fields", ())]
        if "change_reason" not in names:
            fieldsets = [*fieldsets, (_("Reason for change"), {"fields": ["change_reason"]})]
        return fieldsets

    def save_model(self, request, obj, form, change):
        stamp(obj, actor=request.user, reason=form.cleaned_data.get("change_reason", ""))
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(RegulatedAdmin):
    """Read only. The file itself is not linked: it is served only through the permission-checked
    download view."""

    list_display = ("original_name", "media_type", "size", "uploaded_by", "uploaded_at")
    list_filter = ("media_type",)
    search_fields = ("original_name", "sha256")
    fields = (
        "original_name",
        "media_type",
        "size",
        "sha256",
        "caption",
        "owner_type",
        "owner_id",
        "uploaded_by",
        "uploaded_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
