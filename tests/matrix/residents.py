"""Resident pages. World: ``resident_a`` in care at institution A (county A, placed by the
station, the institution user's own), ``returned_a`` returned home from A (a follow-up due),
``resident_b`` at institution B (county B, another station).

Readers: administrators, the city bureau, the county bureau of the institution's county, the
placing station and the caring institution; supervisors have no resident pages (404, counts
only); a resident outside the user's scope is a 404. The station writes the search, settlement,
return home and follow-ups; the institution writes care and discharge; others in scope get 403.
"""

from tests.matrix import Entry, logged_in

NO_PAGES = {"supervisor": 404}
OUT_A = {"county_b_staff": 404, "supervisor": 404}
READERS_A = logged_in(200, **OUT_A)
STATION_A = logged_in(403, station_staff=200, **OUT_A)
INSTITUTION_A = logged_in(403, institution_user=200, **OUT_A)


def a(w):
    return {"pk": w.resident_a.pk}


def b(w):
    return {"pk": w.resident_b.pk}


def returned(w):
    return {"pk": w.returned_a.pk}


ENTRIES = [
    Entry("residents:resident_list", logged_in(200, **NO_PAGES)),
    Entry("residents:return_ledger", logged_in(200, **NO_PAGES)),
    # Off unless the area allows supervisors' logged reads (tests/residents/test_supervisor_read).
    Entry("residents:supervisor_read", logged_in(404)),
    Entry("residents:resident_admit", logged_in(403, station_staff=200, **NO_PAGES)),
    # An empty form is shown again with its errors; nothing is saved.
    Entry(
        "residents:resident_admit",
        logged_in(403, station_staff=200, **NO_PAGES),
        method="post",
    ),
    Entry("residents:resident_detail", READERS_A, kwargs=a),
    Entry(
        "residents:resident_detail",
        logged_in(404, admin=200, city_staff=200, county_b_staff=200),
        kwargs=b,
        label="-county-b",
    ),
    # The full ID number, shown on the response and logged.
    Entry("residents:resident_reveal_id", READERS_A, kwargs=a, method="post"),
    Entry("residents:resident_identify", STATION_A, kwargs=a),
    Entry("residents:resident_identify", STATION_A, kwargs=a, method="post", label="-invalid"),
    Entry("residents:resident_care", INSTITUTION_A, kwargs=a),
    Entry("residents:resident_discharge", INSTITUTION_A, kwargs=a),
    Entry("residents:resident_discharge", INSTITUTION_A, kwargs=a, method="post", label="-invalid"),
    Entry("residents:step_add", STATION_A, kwargs=a),
    Entry("residents:step_add", STATION_A, kwargs=a, method="post", label="-invalid"),
    Entry("residents:step_done", STATION_A, kwargs=lambda w: {"pk": w.notice_a.pk}),
    Entry("residents:settlement_add", STATION_A, kwargs=a),
    Entry("residents:settlement_outcome", STATION_A, kwargs=lambda w: {"pk": w.settlement_a.pk}),
    Entry("residents:return_home", STATION_A, kwargs=a),
    Entry("residents:return_feedback", STATION_A, kwargs=returned),
    Entry("residents:follow_up_add", STATION_A, kwargs=returned),
    Entry("residents:follow_up_add", STATION_A, kwargs=returned, method="post", label="-invalid"),
    Entry("residents:follow_up_done", STATION_A, kwargs=lambda w: {"pk": w.follow_up_a.pk}),
    Entry(
        "residents:step_done",
        logged_in(404, admin=403, city_staff=403, county_b_staff=403),
        kwargs=lambda w: {"pk": w.resident_b.identity_steps.get().pk},
        label="-county-b",
    ),
]
