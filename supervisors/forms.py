from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from supervisors.models import (
    Complaint,
    Event,
    GroupMembership,
    Supervisor,
    Term,
    VettingFinding,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _reason(label=None, required=True):
    return forms.CharField(
        label=label or _("Reason"), required=required, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupervisorForm(forms.ModelForm):
    class Meta:
        model = Supervisor
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "id_number",
            "employer",
            "title",
            "expertise",
            "phone",
            "email",
            "user",
        ]
        widgets = {"birth_date": DATE}


class NominateForm(forms.Form):
    supervisor = forms.ModelChoiceField(
        label=pgettext_lazy("supervisors", "Candidate"), queryset=Supervisor.objects.all()
    )
    invited_on = forms.DateField(label=_("Invitation date"), widget=DATE)
    note = forms.CharField(
        label=_("Nomination note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    term_limit_override_reason = _reason(
        _("Override of the consecutive-term limit (administrators only)"), required=False
    )

    def __init__(self, *args, may_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_on"].initial = timezone.localdate()
        if not may_override:
            del self.fields["term_limit_override_reason"]


class VetForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for condition in VettingFinding.Condition:
            self.fields[f"met_{condition}"] = forms.BooleanField(
                label=condition.label, required=False
            )
            self.fields[f"note_{condition}"] = forms.CharField(
                label=_("Notes"), required=False, max_length=500
            )

    def findings(self) -> dict:
        return {
            c: (self.cleaned_data[f"met_{c}"], self.cleaned_data[f"note_{c}"])
            for c in VettingFinding.Condition
        }


class DecideForm(forms.Form):
    meeting_date = forms.DateField(label=_("Joint meeting date"), widget=DATE)
    minutes_reference = forms.CharField(label=_("Minutes reference"), max_length=80)


class FileForm(forms.Form):
    starts_on = forms.DateField(label=_("Appointment date (term starts)"), widget=DATE)
    employer_notified_on = forms.DateField(label=_("Employer notified on"), widget=DATE)
    filing_number = forms.CharField(label=_("Filing number"), max_length=80)


class ReasonForm(forms.Form):
    reason = _reason()


class TermEndForm(forms.Form):
    kind = forms.ChoiceField(label=_("Early end"), choices=Term.EndKind.choices)
    on = forms.DateField(label=_("Ends on (no access from this day)"), widget=DATE)
    reason = _reason()


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=80)


class MemberForm(forms.Form):
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=Supervisor.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=GroupMembership.Role.choices)


class AssignForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class UndertakingForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the undertaking and accept it."), required=True
    )


class ComplaintForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    institution = forms.ModelChoiceField(
        label=_("Institution concerned"), required=False, queryset=None
    )
    summary = forms.CharField(
        label=pgettext_lazy("supervisors", "Summary"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class SuggestionForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution concerned"), required=False, queryset=None
    )
    text = forms.CharField(label=_("Suggestion"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class ComplaintUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Complaint.Status.choices)
    note = _reason(_("Handling"))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=Supervisor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
