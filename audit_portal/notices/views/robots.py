"""The organisations' group robots (system administrators only: 403 for everyone else) and the
delivery log (administrators: everything; civil-affairs staff: their scope; others: 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.accounts.models import Organisation
from audit_portal.accounts.selectors import organisations_in_scope
from audit_portal.core.web import apply_errors, paginate, query_without_page, step
from audit_portal.notices import channels, selectors, services
from audit_portal.notices.forms import DeliveryFilterForm, RobotForm
from audit_portal.notices.models import GroupRobot


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    """An organisation whose robot the user sets: administrators only."""
    if not request.user.is_admin:
        raise PermissionDenied
    return get_object_or_404(organisations_in_scope(request.user), pk=pk)


@login_required
@require_GET
def robot_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_admin:
        raise PermissionDenied
    organisations = (
        organisations_in_scope(request.user)
        .select_related("parent", "group_robot")
        .order_by("kind", "name", "pk")
    )
    page = paginate(request, organisations)
    for organisation in page.object_list:
        robot = getattr(organisation, "group_robot", None)
        organisation.robot = robot
        organisation.robot_host = channels.robot_target(robot.url) if robot else ""
    return render(
        request, "notices/robots.html", {"page": page, "query": query_without_page(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def robot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    robot = GroupRobot.objects.filter(organisation=organisation).first()
    form = RobotForm(request.POST or None, robot=robot)
    if request.method == "POST" and form.is_valid():
        try:
            services.robot_save(
                organisation=organisation,
                flavour=form.cleaned_data["flavour"],
                url=form.cleaned_data["url"],
                active=form.cleaned_data["active"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The group robot of %(name)s is saved.") % {"name": organisation}
            )
            return redirect("notices:robots")
    return render(
        request,
        "notices/robot_form.html",
        {"form": form, "organisation": organisation, "robot": robot},
    )


@login_required
@require_POST
def robot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    if services.robot_remove(organisation=organisation, actor=request.user):
        messages.success(
            request, _("The group robot of %(name)s is removed.") % {"name": organisation}
        )
    return redirect("notices:robots")


@login_required
@require_POST
def robot_test(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    step(
        request,
        lambda: services.robot_test(organisation=organisation, actor=request.user),
        _("A test message is on its way; the delivery log shows whether it arrived."),
    )
    return redirect("notices:robots")


@login_required
@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_admin or user.is_civil_affairs_staff):
        raise PermissionDenied
    form = DeliveryFilterForm(request.GET)
    deliveries = form.filter(selectors.deliveries_for(user))
    return render(
        request,
        "notices/deliveries.html",
        {"form": form, "page": paginate(request, deliveries), "query": query_without_page(request)},
    )
