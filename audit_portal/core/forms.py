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


class _NameSelect(forms.Select):
    """A select whose options are the plain dicts the form renderer writes
    (``renderers._select``): Django's ``create_option`` builds and copies attributes for each of
    the 500 options (~10 ms a page); the markup is the same."""

    def optgroups(self, name, value, attrs=None):
        wanted = set(value)
        options, chosen = [], False
        for index, (option_value, label) in enumerate(self.choices):
            option_value = "" if option_value is None else option_value
            # As Django's: a single select marks the first option matching its value.
            selected = not chosen and str(option_value) in wanted
            chosen |= selected
            options.append(
                {
                    "name": name,
                    "value": option_value,
                    "label": label,
                    "selected": selected,
                    "index": str(index),
                    "attrs": {"selected": True} if selected else {},
                    "type": self.input_type,
                    "template_name": self.option_template_name,
                    "wrap_label": True,
                }
            )
        return [(None, options, 0)]


class _NameChoiceField(filter_fields.ModelChoiceField):
    iterator = _NameChoiceIterator
    widget = _NameSelect
    label_field = "name"


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    """A ``ModelChoiceFilter`` over a model whose ``str()`` is its ``name`` (institutions,
    organisations), listing its options without building the instances."""

    field_class = _NameChoiceField
