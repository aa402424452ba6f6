import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit_portal.accounts.models import User
from audit_portal.api.models import ApiToken
from audit_portal.core.forms import DateInput


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. the program that uses it."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )
    expires_on = forms.DateField(
        label=_("Valid until (inclusive)"),
        widget=DateInput(),
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=90)
        if actor.is_admin:
            # Administrators create tokens for any active account; staff only for themselves.
            self.fields["user"] = forms.ModelChoiceField(
                label=_("Account"),
                queryset=User.objects.filter(is_active=True).order_by("username"),
                initial=actor.pk,
            )
