"""The API under /api/v1/ (``audit_portal/api``, each app's ``api``) and the token pages.

The same decisions as the pages, in the API's words: an anonymous caller gets 401 (not a
redirect to the login page), an object outside the user's scope 404, a list the role has no
page for 403 (or 404 where the pages answer 404: incidents, the supervisor scheme). The
matrix's clients are logged in (the session); tokens are tested in ``tests/api``.

The write endpoints take JSON; the matrix posts a form, so a persona the rules let through
is told the body is not JSON (415): the refusals before it are the matrix's question.
"""

from tests.matrix import Entry, expect, logged_in

API = expect(200, anonymous=401)
# Who sees institution A and what belongs to it (as the pages): admin, city, county A, the
# placing station, its own account.
SEES_A = {"county_b_staff": 404, "supervisor": 404}
NO_LIST = {"supervisor": 403, "institution_user": 403}
# Incident pages exist for those who read incidents; supervisors find none.
INCIDENTS = {"supervisor": 404}
# The supervisor scheme's pages exist for administrators and the city and county bureaus.
SCHEME = {"station_staff": 404, "supervisor": 404, "institution_user": 404}


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


ENTRIES = [
    Entry("api:institution-list", expect(200, anonymous=401, **NO_LIST)),
    Entry(
        "api:institution-list",
        expect(200, anonymous=401, **NO_LIST),
        query="?on=2026-01-01&eligible=yes&ordering=-name",
        label="filtered",
    ),
    Entry("api:institution-list", expect(405, anonymous=401), method="post", label="post"),
    # The Excel import: the bureaus that register institutions; without a file a 400.
    Entry(
        "api:institution-import",
        expect(400, anonymous=401, supervisor=403, station_staff=403, institution_user=403),
        method="post",
    ),
    Entry("api:institution-import", expect(405, anonymous=401), label="get"),
    Entry(
        "api:institution-detail",
        expect(200, anonymous=401, **SEES_A),
        kwargs=pk("institution_a"),
    ),
    Entry("api:document-list", API),
    Entry("api:document-detail", expect(200, anonymous=401, **SEES_A), kwargs=pk("document_a")),
    Entry("api:agreement-list", API),
    Entry(
        "api:agreement-detail",
        expect(200, anonymous=401, **SEES_A),
        kwargs=pk("agreement_a"),
    ),
    Entry("api:checklist-template-list", expect(200, anonymous=401, institution_user=403)),
    Entry(
        "api:checklist-template-detail",
        expect(200, anonymous=401, institution_user=403),
        kwargs=lambda w: {"pk": w.inspection_a.template_id},
    ),
    Entry("api:inspection-list", API),
    Entry(
        "api:inspection-detail",
        expect(200, anonymous=401, **SEES_A),
        kwargs=pk("inspection_a"),
    ),
    # The institution never sees an inspection in progress.
    Entry(
        "api:inspection-detail",
        expect(200, anonymous=401, **SEES_A, institution_user=404),
        kwargs=pk("draft_a"),
        label="draft",
    ),
    Entry("api:issue-list", API),
    Entry(
        "api:issue-list",
        API,
        query="?status=unclosed&overdue=true&ordering=-raised_on",
        label="filtered",
    ),
    Entry("api:issue-detail", expect(200, anonymous=401, **SEES_A), kwargs=pk("issue_a")),
    # Only the institution answers an issue; the form's refusal (no evidence) is a 400.
    Entry(
        "api:issue-rectify",
        expect(403, anonymous=401, **SEES_A, institution_user=400),
        method="post",
        kwargs=pk("issue_a"),
        data=lambda w: {"plan": "已更换灭火器"},
    ),
    Entry("api:issue-rectify", expect(405, anonymous=401), kwargs=pk("issue_a"), label="get"),
    Entry("api:monthly-report-list", expect(200, anonymous=401, supervisor=403)),
    Entry(
        "api:monthly-report-detail",
        expect(200, anonymous=401, county_b_staff=404, supervisor=404),
        kwargs=pk("monthly_report_a"),
    ),
    # Staff never see a draft.
    Entry(
        "api:monthly-report-detail",
        expect(404, anonymous=401, institution_user=200),
        kwargs=pk("draft_monthly_report_a"),
        label="draft",
    ),
    # Only an institution files a report.
    Entry(
        "api:monthly-report-list",
        expect(403, anonymous=401, institution_user=415),
        method="post",
        data=lambda w: {"month": "2026-01"},
        label="post",
    ),
    Entry("api:incident-list", expect(200, anonymous=401, **INCIDENTS)),
    Entry(
        "api:incident-detail",
        expect(200, anonymous=401, county_b_staff=404, supervisor=404),
        kwargs=pk("incident_a"),
    ),
    # Institutions and rescue stations report incidents at their own place.
    Entry(
        "api:incident-list",
        expect(403, anonymous=401, **INCIDENTS, station_staff=415, institution_user=415),
        method="post",
        data=lambda w: {"kind": "injury"},
        label="post",
    ),
    Entry("api:supervisor-list", expect(200, anonymous=401, **SCHEME)),
    Entry(
        "api:supervisor-detail",
        expect(200, anonymous=401, **SCHEME, county_a_staff=404, county_b_staff=404),
        kwargs=pk("supervisor_record"),
    ),
    Entry("api:supervision-group-list", expect(200, anonymous=401, **SCHEME)),
    Entry(
        "api:supervision-group-detail",
        expect(200, anonymous=401, **SCHEME, county_a_staff=404, county_b_staff=404),
        kwargs=pk("group"),
    ),
    Entry("api:assignment-list", expect(200, anonymous=401, **SCHEME)),
    # The ended assignment at B: the city sees it; no county sees the group working today.
    Entry(
        "api:assignment-detail",
        expect(200, anonymous=401, **SCHEME, county_a_staff=404, county_b_staff=404),
        kwargs=pk("ended_assignment"),
    ),
    # Public: published summaries, no login.
    Entry("api:open-day-summary-list", expect(200)),
    Entry("api:open-day-summary-detail", expect(200), kwargs=pk("summary")),
    Entry("api:open-day-summary-detail", expect(404), kwargs=pk("draft"), label="draft"),
    Entry("api:schema", expect(200)),
    Entry("api:docs", expect(200)),
    # Token pages: administrators and civil-affairs staff.
    Entry("api_tokens:list", logged_in(200, supervisor=403, institution_user=403)),
    Entry("api_tokens:create", logged_in(200, supervisor=403, institution_user=403)),
    Entry(
        "api_tokens:create",
        logged_in(400, supervisor=403, institution_user=403),
        method="post",
        data=lambda w: {"name": "", "scope": "read", "expires_on": "2020-01-01"},
        label="invalid",
    ),
    Entry(
        "api_tokens:revoke",
        logged_in(404, admin=302, city_staff=302, supervisor=403, institution_user=403),
        method="post",
        kwargs=lambda w: {"pk": w.api_token_city.pk},
    ),
    Entry(
        "api_tokens:revoke",
        logged_in(405),
        kwargs=lambda w: {"pk": w.api_token_city.pk},
        label="get",
    ),
]
