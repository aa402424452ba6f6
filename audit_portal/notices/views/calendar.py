"""The personal calendar: the page where a person makes (or resets) their secret address, and
the feed that address serves to their calendar program, without a login: the token is the key.
An unknown or reset token, or an account switched off, is not found (404)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit_portal.notices import feeds, services
from audit_portal.notices.models import CalendarFeed


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def calendar_page(request: HttpRequest) -> HttpResponse:
    address = ""
    if request.method == "POST":
        token = services.calendar_feed_reset(user=request.user)
        # Shown on this answer only: the token is not kept, only its hash.
        address = settings.SITE_URL + reverse("calendar_feed", args=[token])
    return render(
        request,
        "notices/calendar.html",
        {
            "feed": CalendarFeed.objects.filter(user=request.user).first(),
            "address": address,
            "days_before": feeds.DAYS_BEFORE,
            "days_after": feeds.DAYS_AFTER,
        },
    )


@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = feeds.feed_owner(token)
    if user is None:
        raise Http404
    response = HttpResponse(feeds.calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
