"""Forms of the signing page: a signature drawn on the pad, or the representative's refusal."""

import base64
import binascii

from django import forms
from django.utils.translation import gettext_lazy as _

PNG_DATA_URL = "data:image/png;base64,"
# A signature drawn on a phone is a few dozen kB; anything far larger is not one.
MAX_SIGNATURE_BYTES = 1024 * 1024
REPRESENTATIVE = "institution"


class SignatureForm(forms.Form):
    """Who signs (a team member who has not signed yet, or the institution's representative),
    and the drawing, sent by ``signature.js`` as a PNG data: URL."""

    signer = forms.ChoiceField(label=_("Who signs"))
    signer_name = forms.CharField(
        label=_("Name of the institution's representative"), max_length=60, required=False
    )
    signer_position = forms.CharField(
        label=_("Position"),
        max_length=60,
        required=False,
        help_text=_("For the institution's representative, e.g. director or duty manager."),
    )
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, members=(), representative_open=True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(member.pk), member.get_full_name()) for member in members]
        if representative_open:
            choices.append((REPRESENTATIVE, _("The institution's representative")))
        self.fields["signer"].choices = choices
        self.members = {str(member.pk): member for member in members}

    def clean_signature(self) -> bytes:
        value = self.cleaned_data["signature"]
        if not value.startswith(PNG_DATA_URL):
            raise forms.ValidationError(_("Sign in the box first."))
        encoded = value[len(PNG_DATA_URL) :]
        if len(encoded) > MAX_SIGNATURE_BYTES * 4 // 3 + 4:
            raise forms.ValidationError(_("The signature is too large."))
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(_("The signature could not be read.")) from None

    def signer_user(self):
        """The team member who signs, or ``None`` for the institution's representative."""
        return self.members.get(self.cleaned_data["signer"])


class RefusalForm(forms.Form):
    signer_name = forms.CharField(
        label=_("Name of the institution's representative"), max_length=60
    )
    signer_position = forms.CharField(label=_("Position"), max_length=60, required=False)
    reason = forms.CharField(
        label=_("Reason for refusing to sign"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("What the representative said, in their words where possible."),
    )
