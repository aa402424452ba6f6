"""Forms for monthly status reports: the figures (one row per resident category), submission,
explanation, review, amendment, and the staff list and export filters."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from audit_portal.rules import rules
from inspections.models import MonthlyReport, MonthlyReportLine, ResidentCategory
from inspections.models.reports import FIGURES
from inspections.selectors.reports import parse_month


def figure_label(name: str) -> str:
    return str(MonthlyReportLine._meta.get_field(name).verbose_name)


class MonthField(forms.CharField):
    """A calendar month typed as ``YYYY-MM`` (the browser's month picker)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})

    def to_python(self, value) -> datetime.date | None:
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return month

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, datetime.date) else value


class ReportForm(forms.Form):
    """The figures: ``<category>__<figure>`` for each resident category, then the details."""

    staff_on_duty = forms.IntegerField(label=_("Staff on duty"), min_value=0, max_value=10000)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in ResidentCategory:
            for name in FIGURES:
                self.fields[f"{category}__{name}"] = forms.IntegerField(
                    label=f"{category.label} · {figure_label(name)}",
                    min_value=0,
                    max_value=100000,
                    initial=0,
                    widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
                )

    @staticmethod
    def initial_from(
        report: MonthlyReport | None = None,
        start: dict[str, int] | None = None,
        figures: dict[str, dict[str, int]] | None = None,
    ) -> dict:
        """The form's initial values: a report's own figures, the figures the resident records
        give (``figures``, by category), or last month's end figures as this month's start and
        end (a month without movements balances; the rest zero)."""
        initial: dict = {}
        if report is not None:
            initial.update(staff_on_duty=report.staff_on_duty, notes=report.notes)
            for line in report.lines.all():
                for name in FIGURES:
                    initial[f"{line.category}__{name}"] = getattr(line, name)
            return initial
        if figures is not None:
            for category in ResidentCategory:
                for name in FIGURES:
                    initial[f"{category}__{name}"] = figures.get(category, {}).get(name, 0)
            return initial
        for category in ResidentCategory:
            for name in FIGURES:
                initial[f"{category}__{name}"] = 0
            initial[f"{category}__start"] = (start or {}).get(category, 0)
            initial[f"{category}__end"] = initial[f"{category}__start"]
        return initial

    def clean(self):
        data = super().clean()
        for category in ResidentCategory:
            end, long_stay = data.get(f"{category}__end"), data.get(f"{category}__long_stay")
            if end is not None and long_stay is not None and long_stay > end:
                # Translators: the long stay is over %(months)d months (the Chinese names it).
                message = _("More long-stay residents than residents at the end of the month.")
                self.add_error(
                    f"{category}__long_stay", message % {"months": rules().long_stay_months}
                )
        return data

    def lines(self) -> dict[str, dict[str, int]]:
        return {
            category: {name: self.cleaned_data[f"{category}__{name}"] for name in FIGURES}
            for category in ResidentCategory
        }

    def details(self) -> dict:
        return {
            "staff_on_duty": self.cleaned_data["staff_on_duty"],
            "notes": self.cleaned_data["notes"],
        }

    def table(self) -> list[dict]:
        """Rows of bound fields for the template: one per category, one column per figure."""
        return [
            {"label": category.label, "fields": [self[f"{category}__{name}"] for name in FIGURES]}
            for category in ResidentCategory
        ]

    @staticmethod
    def headers() -> list[str]:
        return [figure_label(name) for name in FIGURES]


class AmendForm(ReportForm):
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    explanation = forms.CharField(
        label=_("Explanation of the discrepancies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class SubmitForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation of the discrepancies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("A discrepancy does not stop the report; it is flagged until explained."),
    )


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation of the discrepancies"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Required when the report is returned."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the report is returned."))
        return data
