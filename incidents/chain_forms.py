"""Forms of the reporting chain: a report forwarded one level up, a safety regulator told. No
field for a time the server stamps (forwarded, recorded)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.forms import DateTimeLocalInput, _formfield
from incidents.models import Channel, Forwarding, Regulator, RegulatorReport


class ForwardForm(forms.Form):
    """The level is the user's bureau's (``chain.forward_level``): not a field."""

    report = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Sent by"), choices=Channel.choices, initial=Channel.SYSTEM)
    recipient_name = _formfield(Forwarding, "recipient_name", required=False)
    reference = _formfield(Forwarding, "reference", required=False)

    def __init__(self, *args, to_province: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if to_province:
            self.fields["recipient_name"].required = True
            self.fields["recipient_name"].help_text = _(
                "The provincial body it was sent to, e.g. the provincial civil-affairs department."
            )
            self.fields["channel"].initial = Channel.PLATFORM
        else:
            # The city bureau is the recipient, in this system.
            del self.fields["recipient_name"]


class RegulatorReportForm(forms.Form):
    regulator = forms.ChoiceField(label=_("Regulator"), choices=Regulator.choices)
    authority = _formfield(RegulatorReport, "authority")
    notified_at = forms.DateTimeField(label=_("Told at"), widget=DateTimeLocalInput())
    notified_by = _formfield(RegulatorReport, "notified_by")
    reference = _formfield(RegulatorReport, "reference", required=False)

    def __init__(self, *args, missing: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if missing:
            # The regulators still owed first, the one most likely meant preselected.
            first = [(value, label) for value, label in Regulator.choices if value in missing]
            rest = [(value, label) for value, label in Regulator.choices if value not in missing]
            self.fields["regulator"].choices = first + rest
            self.fields["regulator"].initial = missing[0]
