"""The filters of the supervisor scheme's lists (declared and validated here; the roster's
filtering itself is ``selectors.roster``).

A filter value that does not validate (a group outside the user's scope, a stage that does not
exist) leaves the list unfiltered, as the pages always did.
"""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit_portal.core.forms import NameChoiceFilter
from supervisors import selectors
from supervisors.models import Appointment, SupervisionGroup, Supervisor

# The pipeline's default: the procedures not yet filed or turned down.
OPEN = "open"
IN_PROGRESS = [Appointment.Stage.NOMINATED, Appointment.Stage.VETTED, Appointment.Stage.DECIDED]


def _groups_in_scope(request):
    if request is None:
        return SupervisionGroup.objects.none()
    return selectors.groups_for(request.user)


class RosterFilter(django_filters.FilterSet):
    """The staff roster: name, term running or not, term ending soon, group.

    The roster's scope, order and prefetches are ``selectors.roster``'s: the queryset given is the
    unfiltered roster (what the page shows without filters), and a bound filter asks the selector
    again with the filters that validated.
    """

    q = django_filters.CharFilter(label=pgettext_lazy("supervisors", "Name"))
    active = django_filters.ChoiceFilter(
        label=pgettext_lazy("supervisors", "Term"),
        choices=[("yes", _("Term running")), ("no", _("No term running"))],
        empty_label=_("All"),
    )
    ending = django_filters.BooleanFilter(label=_("Term ending soon"), widget=forms.CheckboxInput)
    group = NameChoiceFilter(label=pgettext_lazy("supervisors", "Group"), queryset=_groups_in_scope)

    class Meta:
        model = Supervisor
        fields: list[str] = []

    def __init__(self, data=None, *args, day: datetime.date, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.day = day

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset
        data = self.form.cleaned_data
        return selectors.roster(
            self.request.user,
            day=self.day,
            active={"yes": True, "no": False}.get(data["active"]),
            ending_soon=bool(data["ending"]),
            group=data["group"],
            q=data["q"],
        )


class PipelineFilter(django_filters.FilterSet):
    """The appointment pipeline by stage: the procedures in progress unless another stage is
    asked for; an empty stage (or one that does not exist) lists every procedure."""

    stage = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=[(OPEN, pgettext_lazy("appointment", "In progress")), *Appointment.Stage.choices],
    )

    class Meta:
        model = Appointment
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "stage" not in data:
            data = data.copy() if data is not None else {}
            data["stage"] = OPEN
        super().__init__(data, *args, **kwargs)

    @property
    def chosen_stage(self) -> str:
        """The stage shown: ``open``, a stage's value, or "" for every procedure."""
        return self.form.cleaned_data["stage"] if self.form.is_valid() else ""

    def filter_queryset(self, queryset):
        stage = self.chosen_stage
        if stage == OPEN:
            return queryset.filter(stage__in=IN_PROGRESS)
        if stage:
            return queryset.filter(stage=stage)
        return queryset
