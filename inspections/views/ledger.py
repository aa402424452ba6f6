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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit_portal.accounts.models import User
from audit_portal.core.web import paginate, query_without_page
from inspections.charts import grouped_bars
from inspections.forms.ledger import UNCLOSED, IssueLedgerFilter
from inspections.models import Issue
from inspections.selectors.inspections import issues_for, ledger_counts
from inspections.selectors.ledger import (
    ledger_chart,
    ledger_rows,
    ledger_tables,
    tallied_counts,
)

CHART_MONTHS = 12
# The filters on an issue's state: the tiles count the issues chosen by the others, so "closed"
# is not 0 because the list shows the issues not closed.
STATE_FILTERS = ("status", "overdue", "due_within")


def _ledger(request: HttpRequest) -> IssueLedgerFilter:
    user: User = request.user
    if not user.has_perm("inspections.view_issue"):
        raise PermissionDenied
    return IssueLedgerFilter(
        request.GET or None, user=user, on=timezone.localdate(), request=request
    )


def _tiles(request: HttpRequest, ledger: IssueLedgerFilter, issues, totals: dict) -> list[dict]:
    """The four count tiles over the issues the place, area, severity and author filters choose
    (whatever their state), each a link that lists those issues."""
    data = ledger.cleaned_data()
    if any(data.get(name) for name in STATE_FILTERS):
        chosen = {name: value for name, value in data.items() if name not in STATE_FILTERS}
        counts = tallied_counts(request.user, chosen, ledger.on) or ledger_counts(
            ledger.chart_queryset(issues), ledger.on
        )
        totals = counts["totals"]
    base = request.GET.copy()
    for name in (*STATE_FILTERS, "page"):
        base.pop(name, None)

    def link(**state) -> str:
        query = base.copy()
        # An empty status is "all": also for an institution, whose ledger without filters is
        # its open issues.
        query.update({"status": "", **state})
        return "?" + query.urlencode()

    current = (data.get("status") or "", bool(data.get("overdue")))
    tiles = [
        (_("Issues"), totals["total"], "", {}, ("", False)),
        (_("Not closed"), totals["open"], "stat--warn", {"status": UNCLOSED}, (UNCLOSED, False)),
        (_("Overdue"), totals["overdue"], "stat--alert", {"overdue": "1"}, ("", True)),
        (
            _("Closed"),
            totals["closed"],
            "",
            {"status": Issue.Status.CLOSED},
            (Issue.Status.CLOSED, False),
        ),
    ]
    return [
        {
            "label": label,
            "value": value,
            "tone": tone if value else "",
            "url": link(**state),
            "current": key == current and not data.get("due_within"),
        }
        for label, value, tone, state, key in tiles
    ]


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
    tiles = _tiles(request, ledger, issues, tables["totals"])
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
            "tiles": tiles,
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
