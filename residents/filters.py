"""The resident list's filters (declared and validated here; the filtering is
``selectors.filtered``)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit_portal.core.forms import NameChoiceFilter
from inspections.models import Institution, ResidentCategory
from inspections.selectors import institutions_for
from residents import selectors
from residents.models import Resident


class ResidentFilter(django_filters.FilterSet):
    institution = NameChoiceFilter(
        label=_("Institution"), queryset=Institution.objects.none(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("in_care", _("In care")), ("discharged", _("Discharged"))],
        empty_label=_("All"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=ResidentCategory.choices, empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Identity step overdue"), widget=forms.CheckboxInput
    )
    long_stay = django_filters.BooleanFilter(label=_("Long stay"), widget=forms.CheckboxInput)

    class Meta:
        model = Resident
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["institution"].queryset = institutions_for(request.user)

    def filter_queryset(self, queryset):
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return selectors.filtered(
            queryset,
            on=timezone.localdate(),
            institution=data.get("institution"),
            status=data.get("status") or "",
            category=data.get("category") or "",
            overdue=bool(data.get("overdue")),
            long_stay=bool(data.get("long_stay")),
        )
