"""The issue ledger (台账) and its Excel export.

Everyone who may read issues uses the same page, scoped by ``issues_for(user)``: staff see the
issues of their county, city or placements, a supervisor those of the institutions assigned to
them (with a "raised by me" filter), an institution user its own open issues with deadlines.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from audit_portal.accounts.models import User
from audit_portal.core.web import paginate, query_without_page
from inspections.charts import grouped_bars
from inspections.exports import ledger_workbook
from inspections.forms.ledger import IssueLedgerFilter
from inspections.selectors.inspections import issues_for, raised_and_closed_by_month
from inspections.selectors.ledger import ledger_rows, ledger_tables

CHART_MONTHS = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    page = paginate(request, filtered)
    months = raised_and_closed_by_month(ledger.chart_queryset(issues), CHART_MONTHS, today)
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
            "tables": ledger_tables(filtered, today),
            "months": months,
            "chart": grouped_bars(
                [f"{row['month']:%y-%m}" for row in months],
                [[row["raised"] for row in months], [row["closed"] for row in months]],
            ),
            "query": query_without_page(request),
            "today": today,
        },
    )


@login_required
@require_GET
def issue_ledger_export(request: HttpRequest) -> HttpResponse:
    """The workbook of exactly what the ledger shows for the same query string, all pages."""
    ledger = _ledger(request)
    issues = issues_for(request.user)
    filtered = ledger.apply(issues)
    content = ledger_workbook(
        ledger_rows(filtered, ledger.on),
        on=ledger.on,
        filters=ledger.description(),
        exported_by=request.user,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"issue-ledger-{ledger.on:%Y%m%d}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
