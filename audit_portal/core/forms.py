import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

from audit_portal.core.evidence import ACCEPT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleEvidenceField(forms.FileField):
    """Several JPEG/PNG/PDF files in one input; the upload rules are applied by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", _("JPEG, PNG or PDF, at most 20 MB each."))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class _NameChoiceIterator(filter_fields.ModelChoiceIterator):
    """The options as ``(pk, name)`` rows of one two-column query. Django's iterator builds a
    model instance per option over a server-side cursor: a filter of the city's 500
    institutions cost ~25 ms on every list page showing it, more than the list's own rows.
    Validation still reads the chosen row through the field's queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class _NameChoiceField(filter_fields.ModelChoiceField):
    iterator = _NameChoiceIterator
    label_field = "name"


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    """A ``ModelChoiceFilter`` over a model whose ``str()`` is its ``name`` (institutions,
    organisations), listing its options without building the instances."""

    field_class = _NameChoiceField
