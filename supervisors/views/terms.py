"""A supervisor's terms: the appointment letter, and a term ended early."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit_portal.accounts.models import User
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent
from supervisors import forms, selectors, services
from supervisors.models import Term
from supervisors.policies import term_policy
from supervisors.views.common import act, staff_area


def _term(user: User, pk: int, action: str) -> Term:
    """A term of a supervisor in the user's scope, for those who may read terms (404 outside
    it); ``action`` is what the page does with it (403 if the role may not; a refusal for the
    term's state is the service's, as a message)."""
    staff_area(user, "supervisors.view_term")
    term = get_object_or_404(
        Term.objects.select_related("supervisor", "appointment").filter(
            supervisor__in=selectors.supervisors_for(user)
        ),
        pk=pk,
    )
    term_policy.require_role(action, user, term)
    return term


@login_required
@require_GET
def term_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The appointment letter (聘书), with the ID number masked."""
    from audit_portal.core.pdf import pdf_response, render_pdf

    term = _term(request.user, pk, "letter")
    pdf = render_pdf(
        "supervisors/pdf/appointment_letter.html",
        {"term": term, "supervisor": term.supervisor, "issued_on": timezone.localdate()},
    )
    record(
        SecurityEvent.Kind.PERSONAL_DATA_PDF,
        request=request,
        target=f"supervisor {term.supervisor_id} term {term.pk}",
        detail="appointment letter",
    )
    return pdf_response(pdf, f"聘书-{term.supervisor.full_name}-{term.number}.pdf")


@login_required
@require_POST
def term_end(request: HttpRequest, pk: int) -> HttpResponse:
    term = _term(request.user, pk, "end_early")
    act(
        request,
        forms.TermEndForm(request.POST),
        lambda data: services.term_end_early(term=term, actor=request.user, **data),
        _("The term has ended early."),
    )
    return redirect("supervisors:supervisor_detail", pk=term.supervisor_id)
