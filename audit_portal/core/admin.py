from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit_portal.core.models import EvidenceFile, GeneratedFile


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


class ServiceRefused(Exception):
    """A service refused the write an admin form asked for (its ValidationError or
    PermissionDenied, kept in ``error``)."""

    def __init__(self, error: ValidationError | PermissionDenied):
        super().__init__(error)
        self.error = error

    @property
    def messages(self) -> list[str]:
        if isinstance(self.error, ValidationError):
            return self.error.messages
        return [str(self.error) or gettext("Not allowed")]


def _with_refusal(form_class: type[forms.ModelForm], refused: ServiceRefused):
    """``form_class`` made invalid by the service's refusal, its errors on the fields they name."""

    class RefusedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            error = refused.error
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, refused.messages)
            return cleaned

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


class RegulatedAdmin(SimpleHistoryAdmin):
    """Admin for regulated records: edits need a reason, history is one click away, and nothing
    is deleted (records end through a status change, which keeps the trace).

    Every write goes through the record's service, as on the pages, so the same rules,
    object-permission grants, history (actor and reason) and logging apply whatever the entry
    point: a subclass implements ``service_create`` and/or ``service_update``; without them it
    cannot add or change. A service's refusal (ValidationError, PermissionDenied) is shown on
    the form as posted and as an error message; the admin's transaction is rolled back, so
    nothing of that submission is saved."""

    form = ReasonForChangeForm
    # Model fields the admin form requires although the model allows them blank (what the
    # service needs to act, as the page's form requires it).
    required_fields: tuple[str, ...] = ()

    def service_create(self, request, form, reason: str) -> models.Model:
        """Create the record from the valid admin ``form`` through its service; return it."""
        raise NotImplementedError

    def service_update(self, request, obj, form, reason: str) -> models.Model:
        """Apply the valid admin ``form`` through the record's service to ``obj``, fresh from the
        database (the form's own instance already carries the submitted values); return it."""
        raise NotImplementedError

    def _implements(self, hook: str) -> bool:
        return getattr(type(self), hook) is not getattr(RegulatedAdmin, hook)

    def has_add_permission(self, request):
        return self._implements("service_create") and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._implements("service_update") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        editable = (
            self.has_change_permission(request, obj)
            if obj is not None
            else self.has_add_permission(request)
        )
        if not editable:
            # Shown read-only: there is no change, hence no reason, to give.
            return [
                (
                    title,
                    {**opts, "fields": [f for f in opts.get("fields", ()) if f != "change_reason"]},
                )
                for title, opts in fieldsets
            ]
        names = [name for _title, opts in fieldsets for name in opts.get("fields", ())]
        if "change_reason" not in names:
            fieldsets = [*fieldsets, (_("Reason for change"), {"fields": ["change_reason"]})]
        return fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.required_fields:
            field.required = True
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "_service_refused", None)
        return form_class if refused is None else _with_refusal(form_class, refused)

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        try:
            if change:
                fresh = type(obj)._default_manager.get(pk=obj.pk)
                saved = self.service_update(request, fresh, form, reason)
            else:
                saved = self.service_create(request, form, reason)
        except (ValidationError, PermissionDenied) as error:
            raise ServiceRefused(error) from error
        # The admin answers (message, log entry, redirect) about ``obj``: make it the saved record.
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Related records and many-to-many fields are the service's to write; the inlines of a
        # regulated admin are read-only.
        for formset in formsets:
            if formset.has_changed():
                raise ServiceRefused(PermissionDenied())
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The refusal left the admin's transaction and rolled it back: nothing is saved.
            # Show the form again as posted, with the refusal on it.
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            request._service_refused = refused
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is shown, never restored: reverting would write outside the services.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(EvidenceFile)
class EvidenceFileAdmin(RegulatedAdmin):
    """Read only: files are attached on the pages through ``evidence_attach`` (the upload rules).
    The file itself is not linked: it is served only through the permission-checked download
    view."""

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


@admin.register(GeneratedFile)
class GeneratedFileAdmin(admin.ModelAdmin):
    """Read only: the record of who asked for which file with which filters, and what became of
    it. Files are asked for on the pages; the file itself is downloaded only by its owner."""

    list_display = (
        "title",
        "kind",
        "owner",
        "status",
        "created_at",
        "finished_at",
        "size",
        "expires_at",
        "downloaded_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("title", "kind", "key", "owner__username", "owner__last_name")
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    fields = (
        "title",
        "kind",
        "key",
        "owner",
        "requested_by",
        "criteria",
        "parameters",
        "language",
        "status",
        "attempt",
        "done",
        "total",
        "error",
        "filename",
        "size",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
        "downloaded_at",
        "purged_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
