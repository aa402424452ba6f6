"""Inspection, issue, checklist and visit pages. World (tests/inspections/world.py):
``inspection_a`` open for comments and ``draft_a`` in progress, both led by county A staff at
institution A; ``issue_a`` (open, pending extension ``extension_a``), ``issue_a2``
(``rectification_a`` pending)."""

import datetime

from tests.files import png_upload
from tests.matrix import Entry, logged_in

OUTSIDERS = {"county_b_staff": 404, "supervisor": 404}
# The draft is not shown to the institution; only its team works on it.
TEAM_ONLY = {
    **OUTSIDERS,
    "institution_user": 404,
    "admin": 403,
    "city_staff": 403,
    "station_staff": 403,
}
# Staff whose scope includes institution A act; the institution may only read.
STAFF_ACT = {**OUTSIDERS, "institution_user": 403}
# The institution answers its issues; staff may only read them.
INSTITUTION_ACTS = {
    **OUTSIDERS,
    "admin": 403,
    "city_staff": 403,
    "county_a_staff": 403,
    "station_staff": 403,
}
# The team's bureau and the bureau above it review reports; the station does not.
REVIEWERS = {**STAFF_ACT, "station_staff": 403}


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def template(w):
    from tests.inspections.factories import default_template

    return {"pk": default_template().pk}


ENTRIES = [
    Entry("inspections:template_list", logged_in(200, institution_user=403)),
    Entry("inspections:template_detail", logged_in(200, institution_user=403), kwargs=template),
    Entry(
        "inspections:template_edit",
        logged_in(403, admin=200, city_staff=200),
        kwargs=template,
    ),
    Entry("inspections:inspection_list", logged_in(200)),
    Entry(
        "inspections:inspection_create",
        logged_in(200, **STAFF_ACT),
        kwargs=pk("institution_a"),
    ),
    Entry("inspections:inspection_detail", logged_in(200, **OUTSIDERS), kwargs=pk("inspection_a")),
    Entry(
        "inspections:inspection_detail",
        logged_in(200, **OUTSIDERS, institution_user=404),
        kwargs=pk("draft_a"),
        label="draft",
    ),
    Entry(
        "inspections:inspection_start",
        logged_in(302, **TEAM_ONLY),
        kwargs=pk("draft_a"),
        method="post",
    ),
    Entry("inspections:inspection_record", logged_in(200, **TEAM_ONLY), kwargs=pk("draft_a")),
    Entry("inspections:inspection_submit", logged_in(200, **TEAM_ONLY), kwargs=pk("draft_a")),
    Entry(
        "inspections:inspection_recheck",
        logged_in(302, **TEAM_ONLY),
        kwargs=pk("draft_a"),
        method="post",
    ),
    Entry(
        "inspections:inspection_open_comments",
        logged_in(302, **REVIEWERS),
        kwargs=pk("inspection_a"),
        method="post",
    ),
    Entry(
        "inspections:inspection_finalise",
        logged_in(302, **REVIEWERS),
        kwargs=pk("inspection_a"),
        method="post",
    ),
    Entry(
        "inspections:inspection_comment",
        logged_in(302, **INSTITUTION_ACTS),
        kwargs=pk("inspection_a"),
        method="post",
        data=lambda w: {"comment": "第3项所述情况已于检查当日纠正"},
    ),
    Entry("inspections:issue_create", logged_in(200, **STAFF_ACT), kwargs=pk("institution_a")),
    Entry("inspections:issue_detail", logged_in(200, **OUTSIDERS), kwargs=pk("issue_a")),
    Entry(
        "inspections:rectification_submit",
        logged_in(302, **INSTITUTION_ACTS),
        kwargs=pk("issue_a"),
        method="post",
        data=lambda w: {"plan": "已更换灭火器并组织演练", "evidence": png_upload()},
    ),
    Entry(
        "inspections:extension_request",
        logged_in(302, **INSTITUTION_ACTS),
        kwargs=pk("issue_a2"),
        method="post",
        data=lambda w: {
            "requested_deadline": str(w.issue_a2.deadline + datetime.timedelta(days=10)),
            "reason": "设备供货周期长",
        },
    ),
    Entry(
        "inspections:rectification_decide",
        logged_in(302, **STAFF_ACT),
        kwargs=pk("rectification_a"),
        method="post",
        data=lambda w: {"decision": "accept", "reason": ""},
    ),
    Entry(
        "inspections:extension_decide",
        logged_in(302, **STAFF_ACT),
        kwargs=pk("extension_a"),
        method="post",
        data=lambda w: {"decision": "approve", "reason": "理由充分"},
    ),
    Entry("inspections:visit_list", logged_in(200, supervisor=403, institution_user=403)),
    Entry(
        "inspections:visit_create",
        logged_in(403, admin=200, station_staff=200),
    ),
]
