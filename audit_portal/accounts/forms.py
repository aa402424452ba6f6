from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # The same words whether the username exists or the password is wrong.
    error_messages = {
        "invalid_login": _(
            "The username or password is incorrect. Five failed attempts lock the account for "
            "15 minutes."
        ),
        "inactive": _("The username or password is incorrect."),
    }

    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
