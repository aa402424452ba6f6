"""The security log page's filters (declared and validated here; the filtering itself is
``selectors.events_filtered``)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit_portal.core.forms import DateInput
from audit_portal.security import selectors
from audit_portal.security.models import SecurityEvent


class IPAddressFilter(django_filters.CharFilter):
    field_class = forms.GenericIPAddressField


class SecurityEventFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(label=_("Username"))
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("security", "Event"),
        choices=SecurityEvent.Kind.choices,
        empty_label=_("All"),
    )
    outcome = django_filters.ChoiceFilter(
        label=pgettext_lazy("security", "Outcome"),
        choices=SecurityEvent.Outcome.choices,
        empty_label=_("All"),
    )
    address = IPAddressFilter(label=_("IP address"))
    date_from = django_filters.DateFilter(
        label=pgettext_lazy("security", "From"), widget=DateInput()
    )
    date_to = django_filters.DateFilter(label=pgettext_lazy("security", "To"), widget=DateInput())

    class Meta:
        model = SecurityEvent
        fields: list[str] = []

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            # A malformed address or date shows its error on the form and matches nothing,
            # rather than the whole log.
            return queryset.none()
        data = self.form.cleaned_data
        return selectors.events_filtered(
            queryset,
            username=(data.get("username") or "").strip(),
            kind=data.get("kind") or "",
            outcome=data.get("outcome") or "",
            address=data.get("address") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
