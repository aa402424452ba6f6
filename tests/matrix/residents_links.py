"""Pages helper R2 added to the resident records: the residents seen on a monthly visit.

The visit is the placing station's, at institution A. Readers of both the visit and resident
records see the list (200); only the visiting station's staff tick (a POST of no ticks clears
the list and redirects); others in scope get 403 on POST; the county bureau of another county
and supervisors (no resident pages) get 404.
"""

import datetime

from django.utils import timezone

from tests.matrix import Entry, expect, logged_in

OUT_A = {"county_b_staff": 404, "supervisor": 404}


def visit(w):
    from inspections.services.inspections import visit_record

    made = visit_record(
        agreement=w.agreement_a,
        performed_on=timezone.localdate() - datetime.timedelta(days=1),
        residents_seen=1,
        summary="探视托养人员，情况良好",
        actor=w.users["station_staff"],
    )
    return {"pk": made.pk}


ENTRIES = [
    Entry("residents:visit_residents", logged_in(200, **OUT_A), kwargs=visit),
    Entry(
        "residents:visit_residents",
        logged_in(403, station_staff=302, **OUT_A),
        kwargs=visit,
        method="post",
    ),
]

# The ledgers in Excel (POST; the worker builds them): staff and administrators who read
# resident records; institution accounts 403; supervisors (no resident pages) 404.
EXPORTERS = logged_in(302, institution_user=403, supervisor=404)
ENTRIES += [
    Entry("residents:resident_ledger_export", EXPORTERS, method="post"),
    Entry("residents:return_ledger_export", EXPORTERS, method="post"),
]

# The API (read-only): as the pages, in the API's words (anonymous 401); supervisors, who read
# no resident records, find no such resource (404); a resident outside the scope is a 404.
ENTRIES += [
    Entry("api:resident-list", expect(200, anonymous=401, supervisor=404)),
    Entry(
        "api:resident-detail",
        expect(200, anonymous=401, county_b_staff=404, supervisor=404),
        kwargs=lambda w: {"pk": w.resident_a.pk},
    ),
    Entry(
        "api:resident-list",
        expect(405, anonymous=401, supervisor=404),
        method="post",
        label="post",
    ),
]
