"""Forms of the staff pages and of the public pages. Public forms carry no CAPTCHA: a hidden
field people leave empty and a signed time stamp of when the form was served keep simple robots
out; the address-based rate limits and the database's per-phone limits do the rest."""

import time

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit_portal.rules import rules
from openday.models import PublicComplaint

SALT = "openday.public-form"
MAX_FORM_AGE = 2 * 60 * 60


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


# Staff ------------------------------------------------------------------------------------------


class SummaryCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Open-day year"), min_value=2000, max_value=2100)
    period_start = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the months before the open day."),
    )
    period_end = forms.DateField(label=_("Period until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Give both ends of the period, or neither."))
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return cleaned


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences for the public. Name no resident and no supervisor."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class VisitDayForm(forms.Form):
    capacity = forms.IntegerField(label=_("Visitors it can receive"), min_value=1, max_value=10000)
    hours = forms.CharField(label=_("Opening hours"), max_length=60, initial="09:00–11:30")
    meeting_point = forms.CharField(label=_("Where visitors gather"), max_length=120)
    registration_open = forms.BooleanField(
        label=_("Registration open"), required=False, initial=True
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=200)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the public"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to whoever holds the tracking code."),
    )


class ForwardForm(forms.Form):
    note = forms.CharField(
        label=_("Your note for civil affairs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Public -----------------------------------------------------------------------------------------


def form_stamp() -> str:
    return signing.dumps(time.time(), salt=SALT)


class PublicForm(forms.Form):
    # People never see this field; robots that fill every input do.
    website = forms.CharField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = form_stamp()

    def clean(self):
        cleaned = super().clean()
        refused = forms.ValidationError(
            _("The form could not be accepted. Please reload the page and try again.")
        )
        if cleaned.get("website"):
            raise refused
        try:
            started = float(
                signing.loads(self.data.get("started", ""), salt=SALT, max_age=MAX_FORM_AGE)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise refused from None
        if time.time() - started < rules().openday_form_min_seconds:
            raise refused
        return cleaned


class RegistrationForm(PublicForm):
    name = forms.CharField(label=_("Your name"), max_length=40)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    party_size = forms.IntegerField(label=_("People in your party"), min_value=1, initial=1)

    field_order = ["name", "phone", "party_size"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = rules().openday_max_party_size
        self.fields["party_size"].max_value = limit
        self.fields["party_size"].widget.attrs["max"] = limit
        self.fields["party_size"].help_text = _("Up to %(n)d people, yourself included.") % {
            "n": limit
        }
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class LookupForm(PublicForm):
    code = forms.CharField(label=_("Confirmation code"), max_length=12)
    phone = forms.CharField(
        label=_("Mobile phone you registered with"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class ComplaintForm(PublicForm):
    kind = forms.ChoiceField(
        label=_("This is a"), choices=PublicComplaint.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What happened, or what do you suggest?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Please do not write the full names or ID numbers of residents."),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text=_("Only civil-affairs staff see your name and phone, to call you back."),
    )

    field_order = ["kind", "text", "name", "phone"]


class StatusForm(PublicForm):
    code = forms.CharField(label=_("Tracking code"), max_length=12)
