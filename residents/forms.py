"""Forms of the resident pages: they collect input; the services decide (and refuse with the
reason, shown on the form)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit_portal.core.forms import DateInput
from inspections.models import CustodyAgreement
from residents.models import FollowUpVisit, IdentityStep, Resident, ReturnHome, Settlement


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


def _now_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput(), initial=timezone.now)


def _today_field(label) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate)


def _note() -> forms.CharField:
    return forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


_REASON = forms.CharField(
    label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
)


class AdmitForm(forms.ModelForm):
    agreement = forms.ModelChoiceField(
        label=_("Custody agreement"), queryset=CustodyAgreement.objects.none()
    )
    admitted_at = _now_field(_("Admitted at"))

    class Meta:
        model = Resident
        fields = [
            "name",
            "name_is_provisional",
            "sex",
            "birth_year",
            "category",
            "identity_status",
            "id_number",
            "health_notes",
        ]
        widgets = {"health_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.order_fields(["agreement", "admitted_at", *self.Meta.fields])

    def _post_clean(self):
        # The service validates the record as a whole (agreement, places, constraints).
        pass


class IdentifyForm(forms.ModelForm):
    reason = _REASON

    class Meta:
        model = Resident
        fields = ["name", "name_is_provisional", "birth_year", "identity_status", "id_number"]


class CareForm(forms.ModelForm):
    reason = _REASON

    class Meta:
        model = Resident
        fields = ["health_notes"]
        widgets = {"health_notes": forms.Textarea(attrs={"rows": 5})}


class DischargeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How the resident left"),
        choices=[
            choice
            for choice in Resident.Discharge.choices
            if choice[0] != Resident.Discharge.RETURNED_HOME
        ]
        + [(Resident.Discharge.RETURNED_HOME, Resident.Discharge.RETURNED_HOME.label)],
    )
    discharged_at = _now_field(_("Discharged at"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    reason = _REASON


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Step"),
        choices=[c for c in IdentityStep.Kind.choices if c[0] != IdentityStep.Kind.NOTICE],
    )
    started_at = _now_field(_("Requested or started at"))
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    note = _note()


class StepDoneForm(forms.Form):
    done_at = _now_field(_("Done or answered at"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=IdentityStep.Outcome.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    note = _note()


class SettlementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Settlement.Kind.choices)
    filed_on = _today_field(_("Reported or applied on"))
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    note = _note()


class SettlementOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Settlement.Outcome.choices)
    outcome_on = _today_field(_("Outcome on"))
    note = _note()


class ReturnHomeForm(forms.ModelForm):
    returned_at = _now_field(_("Returned at"))

    class Meta:
        model = ReturnHome
        fields = ["home_area", "home_station", "received_by", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class FeedbackForm(forms.Form):
    sent_on = _today_field(_("Written feedback sent on"))
    reference = forms.CharField(label=_("Feedback reference"), max_length=100, required=False)


class FollowUpForm(forms.ModelForm):
    done_on = _today_field(pgettext_lazy("follow-up", "Visited on"))

    class Meta:
        model = FollowUpVisit
        fields = ["visited_by", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_by"].required = True


class SupervisorReadForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    name = forms.CharField(label=pgettext_lazy("resident", "Name"), max_length=60)
    reason = forms.CharField(
        label=_("Why you need to read the record"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class FollowUpScheduleForm(forms.Form):
    due_on = forms.DateField(label=_("Visit due on"), widget=DateInput())
