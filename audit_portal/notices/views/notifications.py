"""A person's own notifications (another's is never found: 404), their to-do inbox and their
choice of how each kind reaches them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit_portal.core.web import paginate, query_without_page
from audit_portal.notices import selectors, services
from audit_portal.notices.forms import PreferencesForm
from audit_portal.notices.models import Notification, Preference


def _notification(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(selectors.notifications_for(request.user), pk=pk)


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    notifications = selectors.notifications_for(request.user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return render(
        request,
        "notices/list.html",
        {
            "page": paginate(request, notifications),
            "query": query_without_page(request),
            "unread_only": unread_only,
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read and follow its link (a link elsewhere than this site is not followed)."""
    notification = _notification(request, pk)
    services.notification_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notices:list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notices:list")


@login_required
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    sections = selectors.inbox(request.user)
    # Counted just now: the header shows the same numbers as the page.
    selectors.header_refresh(request.user, sections)
    return render(request, "notices/todo.html", {"sections": sections})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    chosen = dict(Preference.objects.filter(user=request.user).values_list("kind", "mode"))
    form = PreferencesForm(request.POST or None, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, modes=form.modes)
        messages.success(request, _("Your choices are saved."))
        return redirect("notices:preferences")
    return render(
        request,
        "notices/preferences.html",
        {"form": form, "has_address": bool(request.user.email)},
    )
