"""Forms of the inspection pages. They parse input only; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit_portal.core.forms import DateInput, MultipleEvidenceField
from inspections.models import Area, ChecklistTemplate, CustodyAgreement, Inspection, Issue


class InspectionPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    planned_on = forms.DateField(label=_("Planned date"), widget=DateInput())
    template = forms.ModelChoiceField(
        label=_("Checklist"),
        queryset=ChecklistTemplate.objects.none(),
        required=False,
        help_text=_("Not needed for a re-check."),
    )
    team = forms.ModelMultipleChoiceField(
        label=_("Other team members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [
            choice
            for choice in Inspection.Kind.choices
            if choice[0] != Inspection.Kind.MONTHLY_VISIT
        ]
        if user.is_supervisor:
            kinds = [(Inspection.Kind.SUPERVISOR_VISIT, Inspection.Kind.SUPERVISOR_VISIT.label)]
        self.fields["kind"].choices = kinds
        self.fields["template"].queryset = ChecklistTemplate.objects.filter(
            status=ChecklistTemplate.Status.ACTIVE
        )
        self.fields["team"].queryset = candidates.exclude(pk=user.pk)
        self.fields["team"].label_from_instance = lambda member: (
            f"{member.get_full_name() or member.username}（{member.get_role_display()}"
            f"{' · ' + str(member.organisation) if member.organisation_id else ''}）"
        )
        self.initial.setdefault("planned_on", timezone.localdate())
        self.initial.setdefault("template", self.fields["template"].queryset.first())

    def clean(self):
        data = super().clean()
        if data.get("kind") != Inspection.Kind.RECHECK and not data.get("template"):
            self.add_error("template", _("Choose the checklist to inspect with."))
        return data


class IssueForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Issue.Severity.choices)
    responsible_person = forms.CharField(
        label=_("Responsible person at the institution"), max_length=60
    )
    rectification_days = forms.IntegerField(
        label=_("Working days to rectify"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Leave empty for the default of the severity."),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments on the facts of the report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class RectificationForm(forms.Form):
    plan = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    evidence = MultipleEvidenceField(label=_("Evidence (photos, documents)"), required=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: the issue is fixed")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Required when rejecting."),
    )


class ExtensionRequestForm(forms.Form):
    requested_deadline = forms.DateField(label=_("New deadline asked for"), widget=DateInput())
    reason = forms.CharField(
        label=_("Why more time is needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class RecheckForm(forms.Form):
    issues = forms.ModelMultipleChoiceField(
        label=_("Issues verified as fixed on site"),
        queryset=Issue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("What the re-check found"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = issues
        self.fields["issues"].label_from_instance = lambda issue: (
            f"{issue.number} {issue.get_area_display()}：{issue.description[:60]}"
        )


class VisitForm(forms.Form):
    agreement = forms.ModelChoiceField(
        label=_("Custody agreement"), queryset=CustodyAgreement.objects.none()
    )
    performed_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    residents_seen = forms.IntegerField(label=_("Residents seen"), min_value=0, max_value=10000)
    summary = forms.CharField(
        label=_("What was seen and discussed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.initial.setdefault("performed_on", timezone.localdate())


class ChecklistForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )


class ChecklistItemForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=[("", "—"), *Area.choices], required=False)
    text = forms.CharField(label=_("Check"), max_length=300, required=False)
    guidance = forms.CharField(label=_("Guidance"), max_length=1000, required=False)
    critical = forms.BooleanField(label=_("Critical"), required=False)
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("text") and not data.get("area"):
            self.add_error("area", _("Choose the area."))
        return data


ChecklistItemFormSet = forms.formset_factory(ChecklistItemForm, extra=3, max_num=300)
