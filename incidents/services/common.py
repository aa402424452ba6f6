"""The checks every write on an incident shares. Who may write, and when, is the policy's
(``incidents/policies.py``)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from incidents.models import Incident


def _not_future(value: datetime.datetime | None, field: str, now: datetime.datetime) -> None:
    if value is not None and value > now:
        raise ValidationError({field: _("This time is in the future.")})


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)
