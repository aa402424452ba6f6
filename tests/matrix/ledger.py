"""The issue ledger, its Excel export (a file built by the worker) and the two PDFs of an
inspection. World (tests/inspections/world.py): ``inspection_a`` open for comments at institution
A with two issues; ``draft_a`` in progress (no issue yet, not shown to the institution)."""

from tests.matrix import Entry, logged_in

# Who sees institution A's inspections: admin, city, county A, the placing station, the
# institution itself once the report is opened for its comments.
OUTSIDERS = {"county_b_staff": 404, "supervisor": 404}


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


ENTRIES = [
    # Everyone who reads issues has a ledger, scoped to what they may see.
    Entry("inspections:issue_ledger", logged_in(200)),
    Entry("inspections:issue_ledger", logged_in(200), query="?overdue=on&area=fire_safety"),
    # The export is asked for with a POST and built by the worker: the user is sent to the
    # file's progress page.
    Entry("inspections:issue_ledger_export", logged_in(302), method="post", label="post"),
    Entry(
        "inspections:issue_ledger_export",
        logged_in(302),
        method="post",
        query="?overdue=on&area=fire_safety",
        label="post-filtered",
    ),
    Entry("inspections:inspection_pdf", logged_in(200, **OUTSIDERS), kwargs=pk("inspection_a")),
    Entry(
        "inspections:inspection_pdf",
        logged_in(200, **OUTSIDERS, institution_user=404),
        kwargs=pk("draft_a"),
        label="draft",
    ),
    Entry("inspections:notice_pdf", logged_in(200, **OUTSIDERS), kwargs=pk("inspection_a")),
    # No issue yet, so no notice: 404 for everyone.
    Entry("inspections:notice_pdf", logged_in(404), kwargs=pk("draft_a"), label="draft"),
    Entry("inspections:issue_ledger_export", logged_in(405), label="get"),
]
