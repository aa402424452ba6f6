"""The issue ledger's filters (django-filter declares and validates them; the filtering itself is
``selectors.inspections.ledger_filter``, shared by the page, the counts and the Excel export).

Each role sees only the filters that make sense for it: an institution user has one institution
and raises no issues, a supervisor has no county, a station's scope spans no county of its own.
"""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.selectors import counties_in_scope
from audit_portal.core.forms import NameChoiceFilter
from inspections.models import Area, Institution, Issue
from inspections.selectors import institutions_for
from inspections.selectors.inspections import ledger_filter

# The ledger's status filter adds "not closed" to the issue statuses.
UNCLOSED = "unclosed"
STATUS_CHOICES = [(UNCLOSED, _("Not closed")), *Issue.Status.choices]
# The largest "due within" window accepted, in calendar days.
MAX_DUE_WITHIN_DAYS = 366


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class IssueLedgerFilter(django_filters.FilterSet):
    county = NameChoiceFilter(
        label=_("County"), queryset=Organisation.objects.none(), empty_label=_("All counties")
    )
    institution = NameChoiceFilter(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        empty_label=_("All institutions"),
    )
    area = django_filters.ChoiceFilter(label=_("Area"), choices=Area.choices, empty_label=_("All"))
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Issue.Severity.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=_("All")
    )
    due_within = IntegerFilter(
        label=_("Due within (days)"),
        min_value=0,
        max_value=MAX_DUE_WITHIN_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "class": "input-short"}),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), widget=forms.CheckboxInput)
    mine = django_filters.BooleanFilter(label=_("Raised by me"), widget=forms.CheckboxInput)

    class Meta:
        model = Issue
        fields: list[str] = []

    def __init__(self, data=None, *, user: User, on: datetime.date, **kwargs):
        if user.is_institution_user and not _has_filters(data):
            # An institution's ledger is "my open issues with deadlines" unless it asks otherwise.
            data = {"status": UNCLOSED}
        super().__init__(data, queryset=Issue.objects.none(), **kwargs)
        self.user, self.on = user, on
        for name in hidden_filters(user):
            del self.filters[name]
        if "county" in self.filters:
            self.filters["county"].queryset = counties_in_scope(user).order_by("name")
        if "institution" in self.filters:
            # Only what an option shows: 500 full institution rows cost ~5 ms a page.
            self.filters["institution"].queryset = (
                institutions_for(user).only("pk", "name").order_by("name")
            )

    def apply(self, issues):
        """``issues`` (already scoped to the user) narrowed by the filters that validated."""
        return self.filter_queryset(issues) if self.is_bound else issues

    def _cleaned(self) -> dict:
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    def filter_queryset(self, queryset):
        data = self._cleaned()
        return ledger_filter(
            queryset,
            on=self.on,
            county=data.get("county"),
            institution=data.get("institution"),
            area=data.get("area") or "",
            severity=data.get("severity") or "",
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            due_within=data.get("due_within"),
            raised_by=self.user if data.get("mine") else None,
        )

    def chart_queryset(self, queryset):
        """The filters that choose *which* issues (place, area, severity, author) but not their
        state: a chart of issues raised and closed per month must not drop the closed ones."""
        data = self._cleaned()
        return ledger_filter(
            queryset,
            on=self.on,
            county=data.get("county"),
            institution=data.get("institution"),
            area=data.get("area") or "",
            severity=data.get("severity") or "",
            raised_by=self.user if data.get("mine") else None,
        )

    def cleaned_data(self) -> dict:
        """The filters that validated (none when the form is unbound)."""
        return dict(self._cleaned())

    def chart_key(self) -> str:
        """The values of the filters ``chart_queryset`` applies, as a cache key."""
        data = self._cleaned()
        chosen = ("county", "institution", "area", "severity", "mine")
        return "|".join(
            f"{name}={getattr(data.get(name), 'pk', data.get(name))}" for name in chosen
        )

    def description(self) -> list[tuple[str, str]]:
        """The filters in force as (label, value) pairs, for the export's second sheet."""
        data = self._cleaned()
        pairs = []
        for name, field in self.form.fields.items():
            value = data.get(name)
            if value in (None, "", False):
                continue
            if value is True:
                shown = str(_("Yes"))
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                shown = str(dict(field.choices).get(value, value))
            else:
                shown = str(value)
            pairs.append((str(field.label), shown))
        return pairs


def hidden_filters(user: User) -> set[str]:
    if user.is_institution_user:
        return {"county", "institution", "mine"}
    if user.is_supervisor:
        return {"county"}
    if counties_in_scope(user).count() < 2:
        # One county to choose from is no choice; a rescue station's scope is its placements.
        return {"county"}
    return set()


def _has_filters(data) -> bool:
    return bool(data) and any(name in data for name in IssueLedgerFilter.base_filters)
