"""The filters of the inspection list and the monthly report list (declared and validated here;
the filtering itself is ``selectors.inspections.inspection_filter`` and
``selectors.reports.report_filter``), and of the institution registry's lists (the institutions,
the documents expiring soon)."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from audit_portal.accounts.models import Organisation
from audit_portal.accounts.selectors import counties_in_scope, organisations_in_scope
from audit_portal.core.forms import DateInput, NameChoiceFilter
from audit_portal.rules import rules
from inspections.forms.reports import MonthField
from inspections.models import Inspection, Institution, MonthlyReport, QualificationDocument
from inspections.models.reports import last_due_month
from inspections.selectors.inspections import inspection_filter
from inspections.selectors.registry import documents_expiring, institutions_for
from inspections.selectors.reports import report_filter


class CheckedWhenOne(forms.CheckboxInput):
    """A checkbox sent as ``name=1`` (as the links to the list write it); any other value is
    unchecked."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"value": "1", **(attrs or {})})

    def value_from_datadict(self, data, files, name) -> bool:
        return data.get(name) == "1"


class InspectionFilter(django_filters.FilterSet):
    """The inspection list: by status, by kind, and the inspections the user is on the team of.
    A value that is not one of the choices is ignored; the others still apply."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Inspection.Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Inspection.Kind.choices, empty_label=_("All")
    )
    mine = django_filters.BooleanFilter(label=_("Only mine"), widget=CheckedWhenOne)
    institution = NameChoiceFilter(
        label=_("Institution"),
        queryset=lambda request: institutions_for(request.user).order_by("name"),
    )
    date_from = django_filters.DateFilter(label=_("Date from"), widget=DateInput())
    date_to = django_filters.DateFilter(label=_("Date to"), widget=DateInput())

    class Meta:
        model = Inspection
        fields: list[str] = []

    def filter_queryset(self, queryset):
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return inspection_filter(
            queryset,
            team_member=self.request.user if data.get("mine") else None,
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            institution=data.get("institution"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("last", pgettext("months", "The period ends before it starts."))
        return data


def _counties(request):
    return organisations_in_scope(request.user).filter(kind=Organisation.Kind.COUNTY)


class MonthlyReportFilter(django_filters.FilterSet):
    """The staff list and the Excel export: a period of months (by default the last month
    due), a county (for the city and administrators), a status, the unexplained discrepancies.
    Filters that do not validate are all ignored: the list shows the last month due."""

    first = MonthFilter(label=_("From month"))
    last = MonthFilter(label=_("To month"))
    county = NameChoiceFilter(label=_("County"), queryset=_counties)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (status.value, status.label)
            for status in MonthlyReport.Status
            if status != MonthlyReport.Status.DRAFT
        ],
        empty_label=_("All"),
    )
    flagged = django_filters.BooleanFilter(
        label=_("Unexplained discrepancies only"), widget=forms.CheckboxInput
    )

    class Meta:
        model = MonthlyReport
        fields: list[str] = []
        form = PeriodForm

    def __init__(self, data=None, *args, request, **kwargs):
        # Bound even without a query string, so the default period applies.
        super().__init__(data if data is not None else {}, *args, request=request, **kwargs)
        user = request.user
        if not (user.is_admin or user.organisation_kind == Organisation.Kind.CITY):
            del self.filters["county"]

    @property
    def values(self) -> dict:
        return self.form.cleaned_data if self.form.is_valid() else {}

    def show_period(self) -> None:
        """Fill the empty month inputs with the months the list shows (the page's heading), so
        a default period reads in the form too. Only the form's display changes: the filters
        the export sends stay those the user gave."""
        first, last = self.period
        data = self.form.data.copy()
        for name, month in (("first", first), ("last", last)):
            if not data.get(name):
                data[name] = f"{month:%Y-%m}"
        self.form.data = data

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        """The months shown, ``(first, last)``: by default the last month due; from a month
        given without an end, up to the last month due (or that month, if it is later)."""
        newest = last_due_month(timezone.localdate())
        first, last = self.values.get("first"), self.values.get("last")
        last = last or max(newest, first or newest)
        return first or last, last

    def filter_queryset(self, queryset):
        first, last = self.period
        return report_filter(
            queryset,
            first=first,
            last=last,
            county=self.values.get("county"),
            status=self.values.get("status") or "",
            flagged=bool(self.values.get("flagged")),
        )


class InstitutionFilter(django_filters.FilterSet):
    """The institution list: by name or credit code, county, status, eligibility today, and
    the institutions with a document expiring within the longest warning of the rules. A query
    that does not validate filters nothing (the form shows its errors)."""

    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_q")
    county = NameChoiceFilter(
        label=_("County"), queryset=lambda request: counties_in_scope(request.user)
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Institution.Status.choices, empty_label=_("All")
    )
    eligible = django_filters.ChoiceFilter(
        label=_("Eligibility today"),
        choices=[("yes", _("Eligible")), ("no", _("Not eligible"))],
        empty_label=_("All"),
        method="filter_eligible",
    )
    expiring = django_filters.BooleanFilter(widget=forms.CheckboxInput, method="filter_expiring")

    class Meta:
        model = Institution
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The filter looks as far ahead as the longest expiry warning of the rules.
        self.filters["expiring"].label = _("Documents expiring within %(days)d days") % {
            "days": max(rules().expiry_warning_days)
        }

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset
        return super().filter_queryset(queryset)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_eligible(self, queryset, name, value):
        return queryset.filter(is_eligible=value == "yes")

    def filter_expiring(self, queryset, name, value):
        if not value:
            return queryset
        expiring = documents_expiring(
            self.request.user, timezone.localdate(), max(rules().expiry_warning_days)
        )
        return queryset.filter(Exists(expiring.filter(institution=OuterRef("pk"))))


class ExpiringDocumentFilter(django_filters.FilterSet):
    """The documents expiring soon: within one of the warning periods of the rules (by default,
    and for any other value, the longest), in one county of the user's scope."""

    within = django_filters.ChoiceFilter(
        label=_("Expiring within"),
        choices=lambda: [(days, days) for days in warning_days()],
        method="filter_within",
    )
    county = NameChoiceFilter(
        label=_("County"),
        queryset=lambda request: counties_in_scope(request.user),
        field_name="institution__county",
        empty_label=_("All"),
    )

    class Meta:
        model = QualificationDocument
        fields: list[str] = []

    def __init__(self, data=None, *args, request, **kwargs):
        # Bound even without a query string, so the default period applies.
        super().__init__(data if data is not None else {}, *args, request=request, **kwargs)

    @property
    def within_days(self) -> int:
        self.form.is_valid()
        within = getattr(self.form, "cleaned_data", {}).get("within")
        return int(within) if within else max(warning_days())

    def filter_within(self, queryset, name, value):
        return queryset  # the period is the queryset's horizon (``filter_queryset``)

    def filter_queryset(self, queryset):
        horizon = timezone.localdate() + datetime.timedelta(days=self.within_days)
        return super().filter_queryset(queryset.filter(valid_until__lte=horizon))


def warning_days() -> list[int]:
    """The expiry warning periods of the rules, shortest first."""
    return sorted(rules().expiry_warning_days)
