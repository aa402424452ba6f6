"""Institution registry pages. World: institution A (county A, placed with by the station, the
institution user's own), institution B (county B)."""

from tests.matrix import Entry, logged_in


def a(w):
    return {"pk": w.institution_a.pk}


# Who sees institution A: admin, city, county A, the placing station, its own account.
SEES_A = {"county_b_staff": 404, "supervisor": 404}
# Who may edit the registry entry of A: admin, city, county A.
EDITS_A = {**SEES_A, "station_staff": 403, "institution_user": 403}

ENTRIES = [
    Entry(
        "inspections:institution_list",
        logged_in(200, supervisor=403, institution_user=403),
    ),
    Entry(
        "inspections:institution_create",
        logged_in(200, station_staff=403, supervisor=403, institution_user=403),
    ),
    Entry("inspections:my_institution", logged_in(404, institution_user=302)),
    Entry("inspections:institution_detail", logged_in(200, **SEES_A), kwargs=a),
    Entry("inspections:institution_history", logged_in(200, **SEES_A), kwargs=a),
    Entry("inspections:institution_edit", logged_in(200, **EDITS_A), kwargs=a),
    Entry(
        "inspections:institution_status",
        logged_in(302, **EDITS_A),
        kwargs=a,
        method="post",
        data=lambda w: {"status": "suspended", "reason": "检查发现重大隐患"},
    ),
    Entry(
        "inspections:document_upload",
        logged_in(200, **SEES_A, station_staff=403),
        kwargs=a,
    ),
    Entry("inspections:account_create", logged_in(200, **EDITS_A), kwargs=a),
    Entry(
        "inspections:document_review",
        logged_in(302, **EDITS_A),
        kwargs=lambda w: {"pk": w.document_a.pk},
        method="post",
        data=lambda w: {"decision": "verify"},
    ),
    Entry(
        "inspections:document_expiring",
        logged_in(200, supervisor=403, institution_user=403),
    ),
    Entry(
        "inspections:agreement_create",
        logged_in(403, admin=200, station_staff=200),
    ),
    Entry(
        "inspections:agreement_activate",
        logged_in(403, admin=302, station_staff=302, **SEES_A),
        kwargs=lambda w: {"pk": w.agreement_a.pk},
        method="post",
    ),
    Entry(
        "inspections:agreement_status",
        logged_in(403, admin=302, station_staff=302, **SEES_A),
        kwargs=lambda w: {"pk": w.agreement_a.pk},
        method="post",
        data=lambda w: {"status": "suspended", "reason": "机构整改期间暂停送托"},
    ),
    Entry(
        "inspections:placement_create",
        logged_in(403, admin=302, station_staff=302, **SEES_A),
        kwargs=lambda w: {"pk": w.agreement_a.pk},
        method="post",
        data=lambda w: {"starts_on": "2026-11-23", "people": 2, "category": "elderly"},
    ),
]
