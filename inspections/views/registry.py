"""Pages of the institution registry: list, detail, forms, documents, agreements, accounts.

An institution (or a document, an agreement) outside the user's scope is a 404 (the selectors);
who may act on it, and when, is the registry policies' (``inspections/policies/registry.py``):
a 403 for who the user is, the service's message for the object's state. The pages offer the
actions the policies allow (``actions``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.selectors import counties_in_scope
from audit_portal.core.evidence import evidence_by_owner
from audit_portal.core.web import apply_errors, list_page, require_perm
from inspections.filters import ExpiringDocumentFilter, InstitutionFilter, warning_days
from inspections.forms.registry import (
    AccountForm,
    AgreementForm,
    AgreementStatusForm,
    DocumentForm,
    InstitutionForm,
    PlacementForm,
    ReviewForm,
    StatusForm,
)
from inspections.models import CustodyAgreement, Institution
from inspections.policies import agreement_policy, document_policy, institution_policy
from inspections.selectors import (
    agreements_for,
    documents_expiring,
    documents_for,
    institution_history,
    institutions_for,
    with_eligibility,
)
from inspections.selectors.inspections import inspections_for, issues_for
from inspections.services import registry as services


def _institution(user: User, pk: int) -> Institution:
    """The institution if the user may see it (404 otherwise)."""
    return get_object_or_404(
        institutions_for(user).select_related("county", "designated_contact__organisation"), pk=pk
    )


def _institution_for(user: User, pk: int, action: str) -> Institution:
    """The institution for one of its actions: 404 outside scope, 403 when the user's part in
    it does not allow the action (its state is the service's to refuse, with the reason)."""
    institution = _institution(user, pk)
    institution_policy.require_role(action, user, institution)
    return institution


@login_required
@require_GET
def institution_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "inspections.view_institution")
    today = timezone.localdate()
    institutions = with_eligibility(institutions_for(request.user), today).select_related("county")
    context = list_page(request, institutions.order_by("name"), InstitutionFilter)
    return render(request, "inspections/institution_list.html", {**context, "today": today})


@login_required
@require_GET
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    institution = _institution(user, pk)
    today = timezone.localdate()
    documents = list(
        institution.documents.select_related("submitted_by", "reviewed_by", "replaces").order_by(
            "kind", "-valid_from", "-submitted_at"
        )
    )
    scans = evidence_by_owner(documents)
    for document in documents:
        document.scans = scans[document.pk]
        document.days_to_expiry = document.days_left(today)
        document.actions = document_policy.allowed(user, document)
        document.only_others_verify = document_policy.only_others_verify(user, document)
    agreements = list(
        agreements_for(user).filter(institution=institution).prefetch_related("placements")
    )
    for agreement in agreements:
        agreement.actions = agreement_policy.allowed(user, agreement)
    return render(
        request,
        "inspections/institution_detail.html",
        {
            "institution": institution,
            "eligibility": institution.eligibility(today, documents),
            "documents": documents,
            "agreements": agreements,
            "accounts": institution.accounts.order_by("username"),
            "inspections": inspections_for(user).filter(institution=institution)[:10],
            "open_issues": issues_for(user)
            .filter(institution=institution)
            .exclude(status="closed")
            .order_by("deadline"),
            "status_form": StatusForm(initial={"status": institution.status}),
            "review_form": ReviewForm(),
            "agreement_status_form": AgreementStatusForm(),
            "placement_form": PlacementForm(initial={"starts_on": today}),
            "today": today,
            "warning_days": max(warning_days()),
            "actions": institution_policy.allowed(user, institution),
        },
    )


@login_required
@require_GET
def institution_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution(request.user, pk)
    return render(
        request,
        "inspections/institution_history.html",
        {"institution": institution, "rows": institution_history(institution)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "inspections.add_institution")
    form = InstitutionForm(request.POST or None, counties=counties_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Institution registered."))
            return redirect("inspections:institution_detail", pk=institution.pk)
    return render(request, "inspections/institution_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution_for(request.user, pk, "edit")
    form = InstitutionForm(
        request.POST or None,
        instance=institution,
        counties=counties_in_scope(request.user),
        require_reason=True,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.institution_update(
                institution=Institution.objects.get(pk=institution.pk),
                actor=request.user,
                reason=form.cleaned_data["reason"],
                **fields,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("inspections:institution_detail", pk=institution.pk)
    return render(
        request, "inspections/institution_form.html", {"form": form, "institution": institution}
    )


@login_required
@require_POST
def institution_status(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution_for(request.user, pk, "change_status")
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.institution_change_status(
                institution=institution,
                status=form.cleaned_data["status"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status and give the reason."))
    return redirect("inspections:institution_detail", pk=institution.pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution_for(request.user, pk, "upload_document")
    form = DocumentForm(request.POST or None, request.FILES or None, institution=institution)
    if request.method == "GET" and request.GET.get("replaces"):
        form = DocumentForm(institution=institution, initial=_renewal_initial(institution, request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_submit(
                institution=institution,
                kind=data["kind"],
                number=data["number"],
                issuer=data["issuer"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                replaces=data["replaces"],
                scans=data["scans"],
                actor=request.user,
            )
        except ValidationError as error:
            # Upload-rule refusals concern the files; field errors go to their fields.
            apply_errors(form, error if hasattr(error, "error_dict") else _on("scans", error))
        else:
            messages.success(request, _("Document submitted; it awaits verification by staff."))
            return redirect("inspections:institution_detail", pk=institution.pk)
    return render(
        request, "inspections/document_form.html", {"form": form, "institution": institution}
    )


def _on(field: str, error: ValidationError) -> ValidationError:
    return ValidationError({field: error.messages})


def _renewal_initial(institution: Institution, request: HttpRequest) -> dict:
    old = institution.documents.filter(pk=request.GET.get("replaces")).first()
    if old is None:
        return {}
    return {"kind": old.kind, "issuer": old.issuer, "replaces": old}


@login_required
@require_POST
def document_review(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(documents_for(request.user), pk=pk)
    action = "reject" if request.POST.get("decision") == "reject" else "verify"
    document_policy.require_role(action, request.user, document)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "verify":
                services.document_verify(document=document, actor=request.user)
                messages.success(request, _("Document verified."))
            else:
                services.document_reject(
                    document=document, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Document rejected; the institution sees the reason."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("inspections:institution_detail", pk=document.institution_id)


@login_required
@require_GET
def document_expiring(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "inspections.view_qualificationdocument")
    today = timezone.localdate()
    choices = warning_days()
    # The longest period; the filter narrows it to the one asked for.
    documents = documents_expiring(request.user, today, max(choices))
    context = list_page(request, documents, ExpiringDocumentFilter, per_page=50)
    for document in context["page"]:
        document.days_to_expiry = document.days_left(today)
    return render(
        request,
        "inspections/document_expiring.html",
        {
            **context,
            "within": context["filter"].within_days,
            "choices": choices,
            "counties": counties_in_scope(request.user),
            "county": request.GET.get("county"),
        },
    )


def _stations_for(user: User):
    stations = Organisation.objects.filter(kind=Organisation.Kind.STATION)
    if user.is_admin:
        return stations
    return stations.filter(pk=user.organisation_id)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    # No institution yet: the role's right to sign (the service asks the institution's policy).
    require_perm(request.user, "inspections.add_custodyagreement")
    # A station may sign with any approved institution of the city, before it supervises it.
    institutions = Institution.objects.exclude(status=Institution.Status.TERMINATED)
    form = AgreementForm(
        request.POST or None,
        stations=_stations_for(request.user),
        institutions=institutions,
        initial={"institution": request.GET.get("institution")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(actor=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Agreement saved as a draft; activate it when signed."))
            return redirect("inspections:institution_detail", pk=agreement.institution_id)
    return render(request, "inspections/agreement_form.html", {"form": form})


def _agreement_for(user: User, pk: int, action: str) -> CustodyAgreement:
    """The agreement for one of its actions: 404 outside scope, 403 for a role that may not."""
    agreement = get_object_or_404(agreements_for(user), pk=pk)
    agreement_policy.require_role(action, user, agreement)
    return agreement


@login_required
@require_POST
def agreement_activate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_for(request.user, pk, "activate")
    try:
        services.agreement_activate(agreement=agreement, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Agreement activated."))
    return redirect("inspections:institution_detail", pk=agreement.institution_id)


@login_required
@require_POST
def agreement_status(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_for(request.user, pk, "change_status")
    form = AgreementStatusForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_change_status(
                agreement=agreement,
                status=form.cleaned_data["status"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Agreement status changed."))
    else:
        messages.error(request, _("Choose a status and give the reason."))
    return redirect("inspections:institution_detail", pk=agreement.institution_id)


@login_required
@require_POST
def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_for(request.user, pk, "place")
    form = PlacementForm(request.POST)
    if form.is_valid():
        try:
            services.placement_start(agreement=agreement, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Placement recorded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("inspections:institution_detail", pk=agreement.institution_id)


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution_for(request.user, pk, "create_account")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if User.objects.filter(username=form.cleaned_data["username"]).exists():
            form.add_error("username", _("This username is taken."))
        else:
            try:
                services.institution_account_create(
                    institution=institution, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error("password", error)
            else:
                messages.success(request, _("Account created for the institution."))
                return redirect("inspections:institution_detail", pk=institution.pk)
    return render(
        request, "inspections/account_form.html", {"form": form, "institution": institution}
    )


@login_required
@require_GET
def my_institution(request: HttpRequest) -> HttpResponse:
    institution = institutions_for(request.user).filter(pk=request.user.institution_id).first()
    if not request.user.is_institution_user or institution is None:
        raise Http404
    return redirect("inspections:institution_detail", pk=institution.pk)
