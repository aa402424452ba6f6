"""What the staff pages of the supervisor scheme share beyond ``audit_portal.core.web``: the
staff area's gate, and a one-click step (a POST from a button) answered by messages."""

from django.contrib import messages
from django.http import Http404, HttpRequest

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.web import require_perm, step


def staff_area(user: User, perm: str | None = None) -> None:
    """Staff pages exist only for administrators and the city and county bureaus (404 for
    everyone else); ``perm`` is what the page needs beyond reading (403 without it)."""
    reads = user.is_admin or (
        user.is_civil_affairs_staff
        and user.organisation_kind in (Organisation.Kind.CITY, Organisation.Kind.COUNTY)
    )
    if not reads:
        raise Http404
    if perm:
        require_perm(user, perm)


def act(request: HttpRequest, form, action, success: str) -> None:
    """Run a POSTed step: an invalid form or the service's refusal becomes a message on the page
    the user returns to; ``action`` gets the form's cleaned data."""
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return
    step(request, lambda: action(form.cleaned_data), success)
