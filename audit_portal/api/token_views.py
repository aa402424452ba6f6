"""The account pages for API tokens: the list (with their last use), creation (the token is
shown once, on the page that answers the creation) and revocation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.api import selectors, services
from audit_portal.api.forms import TokenForm
from audit_portal.core.web import apply_errors, errors_to_messages, list_page


def _holder(user) -> None:
    if not services.may_hold_tokens(user):
        raise PermissionDenied


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    _holder(request.user)
    context = list_page(request, selectors.tokens_for(request.user))
    return render(request, "api/token_list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _holder(user)
    form = TokenForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, raw = services.token_create(
                user=data.get("user") or user,
                actor=user,
                name=data["name"],
                scope=data["scope"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # Shown once: only its hash is kept.
            return render(request, "api/token_created.html", {"token": token, "raw": raw})
    status = 400 if form.is_bound else 200
    return render(request, "api/token_form.html", {"form": form}, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _holder(request.user)
    token = get_object_or_404(selectors.tokens_for(request.user), pk=pk)
    try:
        services.token_revoke(token=token, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
