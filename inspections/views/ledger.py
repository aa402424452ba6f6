"""The issue ledger (台账); its Excel export is ``views/exports.py``.

Everyone who may read issues uses the same page, scoped by ``issues_for(user)``: staff see the
issues of their county, city or placements, a supervisor those of the institutions assigned to
them (with a "raised by me" filter), an institution user its own open issues with deadlines.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit_portal.accounts.models import User
from audit_portal.core.web import paginate, query_without_page
from inspections.charts import grouped_bars
from inspections.forms.ledger import IssueLedgerFilter
from inspections.selectors.inspections import issues_for
from inspections.selectors.ledger import (
    ledger_chart,
    ledger_rows,
    ledger_tables,
    tallied_counts,
)

CHART_MONTHS = 12


def _ledger(request: HttpRequest) -> IssueLedgerFilter:
    user: User = request.user
    if not user.has_perm("inspections.view_issue"):
        raise PermissionDenied
    return IssueLedgerFilter(
        request.GET or None, user=user, on=timezone.localdate(), request=request
    )


@login_required
@require_GET
def issue_ledger(request: HttpRequest) -> HttpResponse:
    ledger = _ledger(request)
    today = ledger.on
    issues = issues_for(request.user)
    filtered = ledger.apply(issues)
    # The count tables from the stored tallies when they can answer the filters, otherwise one
    # pass over the filtered issues; either way they give the pager its count.
    counts = tallied_counts(request.user, ledger.cleaned_data(), today)
    tables = ledger_tables(filtered, today, counts)
    page = paginate(request, filtered, count=tables["totals"]["total"])
    chart = ledger_chart(
        ledger.chart_queryset(issues),
        CHART_MONTHS,
        today,
        key=f"{request.user.pk}|{ledger.chart_key()}",
    )
    months = chart["months"]
    rows = ledger_rows(page.object_list, today)
    return render(
        request,
        "inspections/issue_ledger.html",
        {
            "ledger": ledger,
            "form": ledger.form,
            "page": page,
            "rows": rows,
            "any_provisional": any(r.provisional and not r.issue.is_closed for r in rows),
            "tables": tables,
            "months": months,
            "chart_counted_at": chart["counted_at"],
            "chart": grouped_bars(
                [f"{row['month']:%y-%m}" for row in months],
                [[row["raised"] for row in months], [row["closed"] for row in months]],
            ),
            "query": query_without_page(request),
            "today": today,
        },
    )
