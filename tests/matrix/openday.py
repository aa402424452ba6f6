"""Open-day pages. World: the published 2026 ``summary`` (institutions A and B), the 2027
``draft``, institution A's 2027 ``visit_day`` and a ``public_complaint`` about institution A.

Public pages answer everyone, logged in or not; a draft's year answers 404 there. Staff pages:
every civil-affairs user reads summaries and visits in scope; the city bureau drafts, approves
and publishes (403 for other staff); county and city bureaus answer complaints; supervisors see
only complaints routed to their group (none here: 404); institution users have no staff pages.
"""

from tests.matrix import Entry, expect, logged_in

EVERYONE = expect(200)
STAFF_READ = logged_in(200, supervisor=404, institution_user=404)
CITY_WRITE = logged_in(403, admin=302, city_staff=302, supervisor=404, institution_user=404)
VISIT_A_READ = logged_in(200, county_b_staff=404, supervisor=404, institution_user=404)
COMPLAINT_A = logged_in(404, admin=200, city_staff=200, county_a_staff=200)
COMPLAINT_A_WRITE = logged_in(404, admin=302, city_staff=302, county_a_staff=302)


def year(w):
    return {"year": w.summary.year}


def v1(w):
    return {"year": w.summary.year, "version": 1}


def inst(w):
    return {"year": w.summary.year, "institution": w.institution_a.pk}


def inst_v1(w):
    return {"year": w.summary.year, "version": 1, "institution": w.institution_a.pk}


def draft_year(w):
    return {"year": w.draft.year}


def summary_pk(w):
    return {"pk": w.summary.pk}


def draft_pk(w):
    return {"pk": w.draft.pk}


ENTRIES = [
    Entry("openday:index", EVERYONE),
    Entry("openday:area", EVERYONE, kwargs=year),
    Entry("openday:area", EVERYONE, kwargs=v1, label="-version"),
    Entry("openday:area", expect(404), kwargs=draft_year, label="-draft"),
    Entry("openday:summary_pdf", EVERYONE, kwargs=year),
    Entry("openday:summary_pdf", expect(404), kwargs=draft_year, label="-draft"),
    Entry("openday:institution", EVERYONE, kwargs=inst),
    Entry("openday:institution", EVERYONE, kwargs=inst_v1, label="-version"),
    Entry(
        "openday:institution",
        expect(404),
        kwargs=lambda w: {"year": w.draft.year, "institution": w.institution_a.pk},
        label="-draft",
    ),
    Entry("openday:poster", EVERYONE, kwargs=inst),
    Entry("openday:visit_list", EVERYONE, kwargs=lambda w: {"year": 2027}),
    Entry(
        "openday:visit_register",
        EVERYONE,
        kwargs=lambda w: {"year": 2027, "institution": w.institution_a.pk},
    ),
    Entry(
        "openday:visit_register",
        EVERYONE,
        kwargs=lambda w: {"year": 2027, "institution": w.institution_a.pk},
        method="post",
        label="-invalid",
    ),
    Entry(
        "openday:visit_register",
        expect(404),
        kwargs=lambda w: {"year": 2027, "institution": w.institution_b.pk},
        label="-no-visits",
    ),
    Entry("openday:visit_lookup", EVERYONE),
    Entry("openday:visit_cancel", EVERYONE, method="post"),
    Entry("openday:visit_cancel", expect(405), label="-get"),
    Entry(
        "openday:complaint_submit", EVERYONE, kwargs=lambda w: {"institution": w.institution_a.pk}
    ),
    Entry(
        "openday:complaint_submit",
        EVERYONE,
        kwargs=lambda w: {"institution": w.institution_a.pk},
        method="post",
        label="-invalid",
    ),
    Entry("openday:complaint_status", EVERYONE),
    Entry("openday:complaint_status", EVERYONE, method="post", label="-invalid"),
    # Staff: summaries.
    Entry("openday:summary_list", STAFF_READ),
    # The year already has a summary: the form comes back with the error, nothing is saved.
    Entry(
        "openday:summary_create",
        logged_in(403, admin=200, city_staff=200, supervisor=404, institution_user=404),
        method="post",
        data=lambda w: {"year": 2026},
    ),
    Entry(
        "openday:summary_create", logged_in(405, supervisor=405, institution_user=405), label="-get"
    ),
    Entry("openday:summary_detail", STAFF_READ, kwargs=summary_pk),
    Entry("openday:summary_detail", STAFF_READ, kwargs=draft_pk, label="-draft"),
    # The preview is a file built by the worker: the user is sent to its progress page.
    Entry(
        "openday:summary_preview",
        logged_in(302, supervisor=404, institution_user=404),
        kwargs=draft_pk,
        method="post",
    ),
    Entry(
        "openday:summary_preview",
        logged_in(405, supervisor=405, institution_user=405),
        kwargs=draft_pk,
        label="-get",
    ),
    # Whoever publishes renders a public version's stored PDFs again.
    Entry("openday:summary_render_files", CITY_WRITE, kwargs=summary_pk, method="post"),
    # A draft has no public files: the role passes, the service refuses with the reason.
    Entry(
        "openday:summary_render_files", CITY_WRITE, kwargs=draft_pk, method="post", label="-draft"
    ),
    Entry("openday:summary_regenerate", CITY_WRITE, kwargs=draft_pk, method="post"),
    Entry("openday:summary_approve", CITY_WRITE, kwargs=draft_pk, method="post"),
    Entry("openday:summary_return", CITY_WRITE, kwargs=draft_pk, method="post"),
    Entry("openday:summary_publish", CITY_WRITE, kwargs=draft_pk, method="post"),
    Entry("openday:summary_correct", CITY_WRITE, kwargs=summary_pk, method="post"),
    Entry(
        "openday:entry_narrative",
        logged_in(403, admin=200, city_staff=200, supervisor=404, institution_user=404),
        kwargs=lambda w: {"pk": w.draft.pk, "entry": w.draft.entries.first().pk},
    ),
    # Staff: visits.
    Entry("openday:visitday_list", STAFF_READ),
    Entry(
        "openday:visitday_edit",
        logged_in(
            200,
            county_b_staff=404,
            station_staff=403,
            supervisor=404,
            institution_user=404,
        ),
        kwargs=lambda w: {"year": 2027, "institution": w.institution_a.pk},
    ),
    Entry(
        "openday:registration_list",
        VISIT_A_READ,
        kwargs=lambda w: {"pk": w.visit_day.pk},
    ),
    # Staff: complaints.
    Entry(
        "openday:complaint_list",
        logged_in(200, station_staff=404, institution_user=404),
    ),
    Entry("openday:complaint_detail", COMPLAINT_A, kwargs=lambda w: {"pk": w.public_complaint.pk}),
    Entry(
        "openday:complaint_acknowledge",
        COMPLAINT_A_WRITE,
        kwargs=lambda w: {"pk": w.public_complaint.pk},
        method="post",
    ),
    Entry(
        "openday:complaint_reply",
        COMPLAINT_A_WRITE,
        kwargs=lambda w: {"pk": w.public_complaint.pk},
        method="post",
        data=lambda w: {"reply": "已责成机构整改，感谢监督"},
    ),
    Entry(
        "openday:complaint_forward",
        logged_in(404, admin=403, city_staff=403, county_a_staff=403),
        kwargs=lambda w: {"pk": w.public_complaint.pk},
        method="post",
    ),
]
