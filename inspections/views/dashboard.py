"""The staff risk dashboard: where to go first, for the city, a county or a station."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from audit_portal.core.web import paginate, query_without_page
from audit_portal.rules import rules
from inspections import hooks
from inspections.charts import grouped_bars
from inspections.selectors.dashboard import (
    SORTS,
    charts,
    risk_figures,
    rows_of,
    summary,
    windows,
)

SORT_LABELS = {
    "score": _("Risk score"),
    "overdue": _("Overdue issues"),
    "open": _("Open issues"),
    "inspection": _("Longest without inspection"),
    "reports": _("Monthly reports missing"),
    "incidents": _("Incidents per 100 residents"),
    "name": _("Name"),
}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_admin or user.is_civil_affairs_staff):
        raise PermissionDenied
    today = timezone.localdate()
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "score"
    page = paginate(request, risk_figures(user, today, sort))
    drawn = charts(user, today)
    issues = drawn["issues"]
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("page", None)
    return render(
        request,
        "inspections/dashboard/page.html",
        {
            "page": page,
            "rows": rows_of(page.object_list),
            "sort": sort,
            "sort_choices": [(key, SORT_LABELS[key]) for key in SORT_LABELS],
            "sort_query": query.urlencode(),
            "query": query_without_page(request),
            "summary": summary(user, today),
            "today": today,
            "rules": rules(),
            "issues": issues,
            "issues_chart": grouped_bars(
                [f"{row['month']:%y-%m}" for row in issues],
                [[row["raised"] for row in issues], [row["closed"] for row in issues]],
                # A third of the page wide: fewer units, so the labels stay readable.
                width=400,
                height=240,
                left=28,
            ),
            "incidents": drawn["incidents"],
            "charts_counted_at": drawn["counted_at"],
            "kinds": hooks.incident_kinds(),
            "punctuality": drawn["punctuality"],
            **windows(today),
        },
    )
