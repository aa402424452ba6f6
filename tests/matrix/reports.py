"""Monthly status reports and the staff risk dashboard. World (tests/inspections/world.py):
institution A's ``monthly_report_a`` (submitted, awaiting review), ``accepted_monthly_report_a`` and
``draft_monthly_report_a`` (this month, only the institution sees it).

Who sees institution A's reports: admin, the city, county A and the placing station read them;
the station (and the administrator) review; the institution files its own. County B and the
supervisor are outsiders (404); supervisors have no report pages at all (403 on the lists)."""

from tests.matrix import Entry, logged_in

OUTSIDERS = {"county_b_staff": 404, "supervisor": 404}
READ_ONLY = {"admin": 403, "city_staff": 403, "county_a_staff": 403, "station_staff": 403}
REVIEWERS = {"admin": 302, "station_staff": 302}


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def review(decision):
    return lambda w: {"decision": decision, "reason": "人数与名册不符，请核对"}


ENTRIES = [
    Entry("inspections:report_list", logged_in(200, supervisor=403)),
    Entry(
        "inspections:report_list",
        logged_in(200, supervisor=403),
        query="?first=2025-01&last=2026-12&status=submitted&flagged=on",
        label="filtered",
    ),
    Entry("inspections:report_list", logged_in(405), method="post", label="post"),
    Entry("inspections:report_late", logged_in(200, supervisor=403, institution_user=403)),
    # Asked for with a POST, built by the worker: the user is sent to the file's progress page.
    Entry(
        "inspections:report_export",
        logged_in(302, supervisor=403, institution_user=403),
        method="post",
        query="?first=2025-01&last=2026-12",
    ),
    Entry("inspections:report_export", logged_in(405), label="get"),
    # Only an institution files a report.
    Entry(
        "inspections:report_create", logged_in(403, institution_user=200), query="?month=2025-06"
    ),
    Entry(
        "inspections:report_create",
        logged_in(403, institution_user=400),
        method="post",
        data=lambda w: {"staff_on_duty": "-1"},
        query="?month=2025-06",
        label="invalid",
    ),
    Entry("inspections:report_detail", logged_in(200, **OUTSIDERS), kwargs=pk("monthly_report_a")),
    # Staff never see a draft.
    Entry(
        "inspections:report_detail",
        logged_in(404, institution_user=200, admin=404),
        kwargs=pk("draft_monthly_report_a"),
        label="draft",
    ),
    Entry(
        "inspections:report_edit",
        logged_in(404, institution_user=200),
        kwargs=pk("draft_monthly_report_a"),
    ),
    # A submitted report is no longer edited: the owner is sent back to it.
    Entry(
        "inspections:report_edit",
        logged_in(403, **OUTSIDERS, institution_user=302),
        kwargs=pk("monthly_report_a"),
        label="submitted",
    ),
    Entry(
        "inspections:report_submit",
        logged_in(404, institution_user=302),
        method="post",
        kwargs=pk("draft_monthly_report_a"),
    ),
    Entry(
        "inspections:report_submit",
        logged_in(405),
        kwargs=pk("draft_monthly_report_a"),
        label="get",
    ),
    Entry(
        "inspections:report_explain",
        logged_in(403, **OUTSIDERS, institution_user=302),
        method="post",
        kwargs=pk("monthly_report_a"),
        data=lambda w: {"explanation": "死亡人员的事故报告已补报"},
    ),
    Entry(
        "inspections:report_review",
        logged_in(403, **OUTSIDERS, **REVIEWERS),
        method="post",
        kwargs=pk("monthly_report_a"),
        data=review("return"),
    ),
    Entry(
        "inspections:report_review",
        logged_in(405),
        kwargs=pk("monthly_report_a"),
        label="get",
    ),
    Entry(
        "inspections:report_amend",
        logged_in(403, **OUTSIDERS, institution_user=200),
        kwargs=pk("accepted_monthly_report_a"),
    ),
    Entry("inspections:dashboard", logged_in(200, supervisor=403, institution_user=403)),
    Entry(
        "inspections:dashboard",
        logged_in(405),
        method="post",
        label="post",
    ),
]
