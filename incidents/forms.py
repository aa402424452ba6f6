"""Forms for the reporting pages. No form has a field for a time the server stamps (received,
submitted, recorded): such values posted anyway are ignored."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audit_portal.core.forms import MultipleEvidenceField
from incidents.models import (
    FIGURES,
    STAGE_FIELDS,
    CasualtyChange,
    Incident,
    Kind,
    PoliceRecord,
    Report,
    Stage,
    missing_person_police_delay,
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


def _formfield(model, name: str, *, required: bool = True) -> forms.Field:
    field = model._meta.get_field(name).formfield(required=required)
    if isinstance(field, forms.DateTimeField):
        field.widget = DateTimeLocalInput()
    elif isinstance(field.widget, forms.Textarea):
        field.widget.attrs.update(rows=2)
    if isinstance(field, forms.IntegerField | forms.DecimalField):
        field.widget.attrs.update(inputmode="decimal" if name == "direct_loss" else "numeric")
        field.min_value = 0
    return field


class StageForm(forms.Form):
    """The fields of one stage and the figures; ``stage_data()`` and ``figures()`` split them."""

    stage: Stage
    attachments = MultipleEvidenceField(
        label=_("Attachments"),
        required=False,
        help_text=_("Photos or scans, if any: JPEG, PNG or PDF, at most 20 MB each."),
    )

    def __init__(self, *args, stage: Stage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        stage = stage or self.stage
        self.stage = stage
        extra = dict(self.fields)
        self.fields = {}
        for name in STAGE_FIELDS[stage]:
            self.fields[name] = _formfield(Report, name)
        for name in FIGURES:
            self.fields[name] = _formfield(Report, name)
        self.fields.update(extra)

    def stage_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in STAGE_FIELDS[self.stage]}

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIGURES}

    def uploads(self) -> list:
        return self.cleaned_data.get("attachments") or []


class PoliceFieldsMixin:
    def police(self) -> dict | None:
        data = self.cleaned_data
        if not any(data.get(n) for n in ("police_reported_at", "police_station", "case_number")):
            return None
        return {
            "reported_at": data.get("police_reported_at"),
            "police_station": data.get("police_station", ""),
            "case_number": data.get("case_number", ""),
        }

    def clean(self):
        cleaned = super().clean()
        given = [cleaned.get(n) for n in ("police_reported_at", "police_station", "case_number")]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("Give the time, the police station and the case number of the police report.")
            )
        return cleaned


def _police_fields() -> dict:
    return {
        "police_reported_at": forms.DateTimeField(
            label=_("Police called at"),
            required=False,
            widget=DateTimeLocalInput(),
            help_text=_(
                "A death: at once (110). A resident missing for over %(delay)s: required. "
                "Suspected abuse: the referral."
            )
            % {"delay": missing_person_police_delay()},
        ),
        "police_station": _formfield(PoliceRecord, "police_station", required=False),
        "case_number": _formfield(PoliceRecord, "case_number", required=False),
    }


def _found_field() -> forms.Field:
    return forms.DateTimeField(
        label=_("Missing resident found at"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Missing resident only: when they were found, if they have been."),
    )


class InitialReportForm(PoliceFieldsMixin, StageForm):
    stage = Stage.INITIAL

    def __init__(self, *args, residents=None, **kwargs):
        """``residents``: the institution's residents on record the reporter may name (a
        missing resident, a death); no field without them."""
        super().__init__(*args, **kwargs)
        head = {
            "kind": forms.ChoiceField(label=_("Kind"), choices=Kind.choices),
            "occurred_at": _formfield(Incident, "occurred_at"),
            "discovered_at": _formfield(Incident, "discovered_at"),
        }
        if residents is not None:
            head["resident"] = forms.ModelChoiceField(
                queryset=residents,
                required=False,
                label=_("Resident on record"),
                help_text=_("A missing resident or a death: the resident concerned."),
            )
        self.fields = {
            **head,
            **self.fields,
            **_police_fields(),
            "resident_found_at": _found_field(),
        }


class FollowupForm(PoliceFieldsMixin, StageForm):
    stage = Stage.FOLLOWUP

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        if incident.police_record_kind() and not incident.police_records.exists():
            self.fields.update(_police_fields())
        if incident.kind == Kind.MISSING and incident.resident_found_at is None:
            self.fields["resident_found_at"] = _found_field()


class FinalForm(StageForm):
    """The final report. An incident not yet declared over is declared so by it (why it is
    over); residents still missing are confirmed, never filed in passing."""

    stage = Stage.FINAL

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        if incident.over_at is None:
            self.fields["over_reason"] = forms.CharField(
                label=_("Why it is over"),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                help_text=_(
                    "The incident has not been declared over: filing the final report declares "
                    "it so, with this reason."
                ),
            )
        self.fields["missing_confirmed"] = forms.BooleanField(
            label=_("Residents are still missing: I confirm the final report is filed so."),
            required=False,
        )

    def clean(self):
        cleaned = super().clean()
        missing = cleaned.get("missing_count") or 0
        if missing > 0 and not cleaned.get("missing_confirmed"):
            self.add_error(
                "missing_confirmed",
                _(
                    "The final report says %(n)d resident(s) still missing: confirm that it is "
                    "filed with them still missing."
                )
                % {"n": missing},
            )
        return cleaned


class AmendForm(StageForm):
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class PoliceRecordForm(forms.Form):
    reported_at = forms.DateTimeField(label=_("Police called at"), widget=DateTimeLocalInput())
    police_station = _formfield(PoliceRecord, "police_station")
    case_number = _formfield(PoliceRecord, "case_number")


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CloseForm(forms.Form):
    text = forms.CharField(
        label=_("Reason for closing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class DeclareOverForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is over"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("The final report is then due within %(days)d working days."),
    )

    def __init__(self, *args, **kwargs):
        from audit_portal.rules import rules

        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.help_text = field.help_text % {"days": rules().incident_final_report_workdays}


class CasualtyChangeForm(forms.Form):
    """The casualties as they now stand, and what changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("deaths", "serious_injuries", "missing_count"):
            self.fields[name] = _formfield(CasualtyChange, name)
        self.fields["what_changed"] = _formfield(CasualtyChange, "what_changed")


class RatesForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)], coerce=int
    )
