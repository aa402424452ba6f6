from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "size": 10,
            }
        ),
    )


class SignInCodeForm(CodeForm):
    otp_token = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_(
            "The 6-digit code in your authenticator app, or one of your recovery codes if you "
            "have lost your phone."
        ),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code"}),
    )


class ResetForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the phone with the authenticator app was lost."),
    )
