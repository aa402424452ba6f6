"""The staff risk dashboard: where to go first, for the city, a county or a station."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit_portal.rules import rules
from inspections import hooks
from inspections.charts import grouped_bars
from inspections.selectors.dashboard import (
    dashboard_rows,
    issues_per_month,
    punctuality_by_month,
    summary,
    windows,
)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_admin or user.is_civil_affairs_staff):
        raise PermissionDenied
    today = timezone.localdate()
    months = rules().dashboard_chart_months
    rows = dashboard_rows(user, today)
    issues = issues_per_month(user, months, today)
    return render(
        request,
        "inspections/dashboard/page.html",
        {
            "rows": rows,
            "summary": summary(rows),
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
            "incidents": hooks.incidents_by_kind_per_month(user, months, today),
            "kinds": hooks.incident_kinds(),
            "punctuality": punctuality_by_month(user, months, today),
            **windows(today),
        },
    )
