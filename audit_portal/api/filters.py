"""Filters the pages' FilterSets declare in ways the schema cannot guess, typed for it, and
bounded: an id beyond the database's integers is refused (400), never sent to the database
(SQLite and PostgreSQL both fail on it)."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-01"}
# The largest id a 64-bit integer column holds.
MAX_ID = 2**63 - 1
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def is_id(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not is_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


@extend_schema_field(ID)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A page's choice of a related record in the user's scope, sent as its id."""

    field_class = IdChoiceField


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(ID)
class IdFilter(django_filters.NumberFilter):
    """The records that belong to the one with this id."""

    field_class = IdField


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=9999, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    field_class = YearField


def like(filterset_class, name: str, filter_class):
    """The filter ``name`` of ``filterset_class`` redeclared as ``filter_class`` (same label,
    queryset, choices, method), for an API subclass of a page's FilterSet."""
    base = filterset_class.base_filters[name]
    return filter_class(
        field_name=base.field_name,
        lookup_expr=base.lookup_expr,
        label=base._label,
        method=base._method,
        distinct=base.distinct,
        exclude=base.exclude,
        **base.extra,
    )
