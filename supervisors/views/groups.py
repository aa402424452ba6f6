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
from audit_portal.core.web import apply_errors, errors_to_messages
from inspections.models import Institution
from inspections.selectors import institutions_for
from supervisors import forms, selectors, services
from supervisors.models import Assignment, GroupMembership, SupervisionGroup
from supervisors.policies import assignment_policy, group_policy, membership_policy
from supervisors.views.common import act, staff_area

_POLICIES = {
    SupervisionGroup: group_policy,
    GroupMembership: membership_policy,
    Assignment: assignment_policy,
}


def _in_groups(user: User, model, pk: int, action: str | None = None):
    """A group in the user's scope, or a membership or assignment of one (``model``), 404
    outside it; ``action`` is what the page does to it (403 if the role may not; a refusal for
    its state is the service's, as a message)."""
    staff_area(user)
    groups = selectors.groups_for(user)
    found = get_object_or_404(
        groups if model is SupervisionGroup else model.objects.filter(group__in=groups), pk=pk
    )
    if action:
        _POLICIES[model].require_role(action, user, found)
    return found


def _with_actions(user: User, policy, objects) -> list:
    """The objects, each with the ``actions`` the user may take on it now."""
    objects = list(objects)
    for obj in objects:
        obj.actions = policy.allowed(user, obj)
    return objects


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    staff_area(request.user, "supervisors.view_supervisiongroup")
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST":
        group_policy.require_create_for(request.user)
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
    actions = {"create"} if group_policy.allows_create_for(request.user) else set()
    return render(
        request,
        "supervisors/group_list.html",
        {"rows": rows, "form": form, "actions": frozenset(actions)},
    )


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
            "members": _with_actions(request.user, membership_policy, group.current_memberships()),
            "problems": group.composition_problems(today),
            "assignments": _with_actions(
                request.user,
                assignment_policy,
                group.assignments.select_related("institution").order_by("-starts_on"),
            ),
            "member_form": forms.MemberForm(),
            "assign_form": forms.AssignForm(
                institutions=institutions_for(request.user).exclude(
                    status=Institution.Status.TERMINATED
                )
            ),
            "reason_form": forms.ReasonForm(),
            "actions": group_policy.allowed(request.user, group),
            "activation_waits": group_policy.activation_waits(request.user, group),
            "today": today,
        },
    )


@login_required
@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _in_groups(request.user, SupervisionGroup, pk, "add_member")
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
    membership = _in_groups(request.user, GroupMembership, pk, "remove")
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
    group = _in_groups(request.user, SupervisionGroup, pk, "activate")
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
    group = _in_groups(request.user, SupervisionGroup, pk, "assign")
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
    assignment = _in_groups(request.user, Assignment, pk, "end")
    act(
        request,
        forms.ReasonForm(request.POST),
        lambda data: services.assignment_end(
            assignment=assignment, actor=request.user, reason=data["reason"]
        ),
        _("The assignment has ended."),
    )
    return redirect("supervisors:group_detail", pk=assignment.group_id)
