"""Supervision groups: their members and the institutions they are assigned to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import User
from audit_portal.core.web import apply_errors, errors_to_messages, require_perm
from inspections.models import Institution
from inspections.selectors import institutions_for
from supervisors import forms, selectors, services
from supervisors.models import Assignment, GroupMembership, SupervisionGroup
from supervisors.views.common import act, staff_area


def _in_groups(user: User, model, pk: int, perm: str | None = None):
    """A group in the user's scope, or a membership or assignment of one (``model``), 404
    outside it; ``perm`` is what the page needs beyond reading (403 without it)."""
    staff_area(user)
    groups = selectors.groups_for(user)
    found = get_object_or_404(
        groups if model is SupervisionGroup else model.objects.filter(group__in=groups), pk=pk
    )
    if perm:
        require_perm(user, perm)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    staff_area(request.user, "supervisors.view_supervisiongroup")
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "supervisors.add_supervisiongroup")
        if form.is_valid():
            try:
                group = services.group_create(name=form.cleaned_data["name"], actor=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("supervisors:group_detail", pk=group.pk)
    groups = selectors.groups_for(request.user).prefetch_related(
        "assignments__institution",
    )
    today = timezone.localdate()
    rows = [
        {
            "group": group,
            "members": list(group.current_memberships()),
            "problems": group.composition_problems(today),
        }
        for group in groups
    ]
    return render(request, "supervisors/group_list.html", {"rows": rows, "form": form})


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _in_groups(request.user, SupervisionGroup, pk)
    today = timezone.localdate()
    return render(
        request,
        "supervisors/group_detail.html",
        {
            "group": group,
            "members": group.current_memberships(),
            "problems": group.composition_problems(today),
            "assignments": group.assignments.select_related("institution").order_by("-starts_on"),
            "member_form": forms.MemberForm(),
            "assign_form": forms.AssignForm(
                institutions=institutions_for(request.user).exclude(
                    status=Institution.Status.TERMINATED
                )
            ),
            "reason_form": forms.ReasonForm(),
            "may_change": request.user.has_perm("supervisors.change_supervisiongroup"),
            "today": today,
        },
    )


@login_required
@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _in_groups(request.user, SupervisionGroup, pk, "supervisors.change_supervisiongroup")
    act(
        request,
        forms.MemberForm(request.POST),
        lambda data: services.group_add_member(group=group, actor=request.user, **data),
        _("Member added."),
    )
    return redirect("supervisors:group_detail", pk=group.pk)


@login_required
@require_POST
def group_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _in_groups(
        request.user, GroupMembership, pk, "supervisors.change_supervisiongroup"
    )
    act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.group_remove_member(
            membership=membership, actor=request.user, reason=data["reason"]
        ),
        _("Member removed from the group."),
    )
    return redirect("supervisors:group_detail", pk=membership.group_id)


@login_required
@require_POST
def group_activate(request: HttpRequest, pk: int) -> HttpResponse:
    group = _in_groups(request.user, SupervisionGroup, pk, "supervisors.change_supervisiongroup")
    try:
        services.group_activate(group=group, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("The group is active."))
    return redirect("supervisors:group_detail", pk=group.pk)


@login_required
@require_POST
def group_assign(request: HttpRequest, pk: int) -> HttpResponse:
    group = _in_groups(request.user, SupervisionGroup, pk, "supervisors.add_assignment")
    form = forms.AssignForm(request.POST, institutions=institutions_for(request.user))
    act(
        request,
        form,
        lambda data: services.group_assign(
            group=group, institution=data["institution"], actor=request.user
        ),
        _("The group is assigned to the institution."),
    )
    return redirect("supervisors:group_detail", pk=group.pk)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _in_groups(request.user, Assignment, pk, "supervisors.change_assignment")
    act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.assignment_end(
            assignment=assignment, actor=request.user, reason=data["reason"]
        ),
        _("The assignment has ended."),
    )
    return redirect("supervisors:group_detail", pk=assignment.group_id)
