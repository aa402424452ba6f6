from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.forms import DateInput, MultipleEvidenceField
from inspections.models import (
    CustodyAgreement,
    DocumentKind,
    Institution,
    QualificationDocument,
    ResidentCategory,
)


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "name",
            "credit_code",
            "kind",
            "legal_representative",
            "address",
            "county",
            "bed_capacity",
            "operation_started_on",
            "contact_person",
            "contact_phone",
            "designated_contact",
        ]
        widgets = {"operation_started_on": DateInput()}

    def __init__(self, *args, counties=None, require_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            self.fields["county"].queryset = counties
        self.fields["designated_contact"].queryset = contact_choices(
            self.instance.county if self.instance.county_id else None, counties
        )
        self.fields["designated_contact"].help_text = _(
            "The staff member of the county or city bureau who follows the institution "
            "(designated contact); named in its incident alerts."
        )
        if require_reason:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for change"),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Kept in the institution's history."),
            )

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()


def contact_choices(county: Organisation | None, counties=None) -> QuerySet[User]:
    """Active staff of the institution's county bureau or of its city bureau (a new
    institution: of the counties the user may register in, and their city)."""
    if county is not None:
        bureaus = [county.pk, county.parent_id]
    elif counties is not None:
        bureaus = list(counties.values_list("pk", flat=True)) + list(
            counties.values_list("parent_id", flat=True)
        )
    else:
        bureaus = []
    return User.objects.filter(
        role=User.Role.STAFF, is_active=True, organisation_id__in=bureaus
    ).order_by("organisation__kind", "full_name")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Institution.Status.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Document number"), max_length=60)
    issuer = forms.CharField(label=_("Issued by"), max_length=120)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty if the document does not expire."),
    )
    replaces = forms.ModelChoiceField(
        label=_("Renewal of"),
        queryset=QualificationDocument.objects.none(),
        required=False,
        help_text=_("For a renewal, choose the document it replaces; the old one stays on record."),
    )
    scans = MultipleEvidenceField(label=_("Scanned document"))

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = institution.documents.exclude(
            status=QualificationDocument.Status.REJECTED
        )

    def clean(self):
        cleaned = super().clean()
        replaces = cleaned.get("replaces")
        if replaces and replaces.kind != cleaned.get("kind"):
            self.add_error("replaces", _("A renewal replaces a document of the same kind."))
        valid_from, valid_until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("The expiry date is before the start date."))
        if cleaned.get("kind") == DocumentKind.FOOD_LICENCE and not valid_until:
            self.add_error("valid_until", _("This document has an expiry date: enter it."))
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verified against the original")), ("reject", _("Reject"))],
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the document is rejected."))
        return cleaned


class AgreementForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Resident categories accepted"),
        choices=ResidentCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CustodyAgreement
        fields = [
            "number",
            "station",
            "institution",
            "starts_on",
            "ends_on",
            "agreed_places",
            "categories",
            "fee_basis",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, stations, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        self.fields["institution"].queryset = institutions
        if stations.count() == 1:
            self.fields["station"].initial = stations.first()


class AgreementStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (CustodyAgreement.Status.SUSPENDED, CustodyAgreement.Status.SUSPENDED.label),
            (CustodyAgreement.Status.ENDED, CustodyAgreement.Status.ENDED.label),
        ],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PlacementForm(forms.Form):
    starts_on = forms.DateField(label=_("Placement starts"), widget=DateInput())
    people = forms.IntegerField(label=_("Number of residents"), min_value=1)
    category = forms.ChoiceField(label=_("Category"), choices=ResidentCategory.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "At least 8 characters mixing three of: upper case, lower case, digits, symbols."
        ),
    )
