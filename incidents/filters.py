"""The incident list's filters."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from incidents import selectors
from incidents.grading import Grade
from incidents.models import Incident, Kind


class IncidentFilter(django_filters.FilterSet):
    """The incident list's filters (declared and validated here; the filtering itself is
    ``selectors.filtered``)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, empty_label=_("All")
    )
    late = django_filters.ChoiceFilter(
        label=_("Report deadlines"),
        choices=[("yes", _("Late or overdue")), ("no", _("On time"))],
        empty_label=_("All"),
    )
    open = django_filters.BooleanFilter(label=_("Open only"), widget=forms.CheckboxInput)

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_queryset(self, queryset):
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return selectors.filtered(
            queryset,
            kind=data.get("kind") or "",
            grade=int(data["grade"]) if data.get("grade") else None,
            late={"yes": True, "no": False}.get(data.get("late")),
            open_only=bool(data.get("open")),
        )
