"""Who may do what to a monthly status report, now: one policy asked by the services, the views
and the page (``inspections/policies/reports.py``). World (tests/inspections/world.py):
institution A's ``monthly_report_a`` (submitted, awaiting review), ``accepted_monthly_report_a``
and ``draft_monthly_report_a`` (this month)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections.dates import add_months
from inspections.models import MonthlyReport
from inspections.policies import report_policy
from inspections.services import reports as services
from tests.inspections.report_helpers import balanced, file_report, line

pytestmark = pytest.mark.django_db

STAFF = ("admin", "city_staff", "county_a_staff", "station_staff")


def refused_for_role(action, user, report) -> bool:
    refusal = report_policy.check(action, user, report)
    return refusal is not None and refusal.role


def refused_now(action, user, report) -> str:
    """The reason a state refusal gives (fails if the action is allowed or refused for role)."""
    refusal = report_policy.check(action, user, report)
    assert refusal is not None and not refusal.role, refusal
    return refusal.message


def flagged_report(world, *, submit=True) -> MonthlyReport:
    """A report of institution A with a death no incident record knows of (a discrepancy)."""
    month = add_months(world.accepted_monthly_report_a.month, -1)
    return file_report(
        world.institution_a,
        world.users["institution_user"],
        month,
        balanced(elderly=line(15, died=1), disabled=line(15)),
        submit=submit,
    )


# The institution --------------------------------------------------------------------------------


def test_the_institution_files_and_submits_its_draft_and_nobody_else_does(world):
    institution, draft = world.users["institution_user"], world.draft_monthly_report_a
    assert {"edit", "submit"} <= report_policy.allowed(institution, draft)
    for persona in (*STAFF, "supervisor"):
        assert refused_for_role("edit", world.users[persona], draft), persona
        assert refused_for_role("submit", world.users[persona], draft), persona
    # A report not yet saved is a draft: the institution may file its own, not another's.
    new = MonthlyReport(institution=world.institution_a, month=add_months(draft.month, -24))
    assert report_policy.allows("edit", institution, new)
    assert refused_now("submit", institution, new) == "请先填写数据再报送。"
    assert refused_for_role("edit", institution, MonthlyReport(institution=world.institution_b))
    with pytest.raises(PermissionDenied):
        services.report_submit(report=draft, actor=world.users["station_staff"])


def test_a_submitted_report_is_no_longer_edited_or_submitted(world):
    institution, report = world.users["institution_user"], world.monthly_report_a
    assert (
        refused_now("edit", institution, report)
        == "该月报已报送；审核通过后如需更正，请提交更正申请。"
    )
    assert refused_now("submit", institution, report) == "该月报已经报送。"
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=report, actor=institution)
    assert refused.value.messages == ["该月报已经报送。"]
    with pytest.raises(ValidationError):
        services.report_save_draft(
            institution=world.institution_a,
            month=report.month,
            actor=institution,
            lines=balanced(elderly=line(15)),
            staff_on_duty=3,
        )


def test_a_discrepancy_is_explained_after_submission(world):
    institution = world.users["institution_user"]
    assert report_policy.allows("explain", institution, world.monthly_report_a)
    assert report_policy.allows("explain", institution, world.accepted_monthly_report_a)
    for persona in STAFF:
        assert refused_for_role("explain", world.users[persona], world.monthly_report_a)
    # A draft carries its explanation with the submission.
    draft = world.draft_monthly_report_a
    assert refused_now("explain", institution, draft) == "草稿：报送前送托救助管理站看不到。"
    with pytest.raises(ValidationError):
        services.report_explain(report=draft, actor=institution, explanation="事故报告已补报")
    draft.refresh_from_db()
    assert draft.explanation == ""


def test_only_an_accepted_report_is_amended(world):
    institution = world.users["institution_user"]
    assert report_policy.allows("amend", institution, world.accepted_monthly_report_a)
    for persona in STAFF:
        assert refused_for_role("amend", world.users[persona], world.accepted_monthly_report_a)
    assert (
        refused_now("amend", institution, world.monthly_report_a)
        == "只有审核通过的月报才需要更正；请直接修改。"
    )


# The placing station ----------------------------------------------------------------------------


def test_the_placing_station_reviews_a_submitted_report(world):
    report = world.monthly_report_a
    for persona in ("admin", "station_staff"):
        assert report_policy.allows("review", world.users[persona], report), persona
    for persona in ("city_staff", "county_a_staff", "county_b_staff", "institution_user"):
        assert refused_for_role("review", world.users[persona], report), persona
    with pytest.raises(PermissionDenied):
        services.report_review(report=report, actor=world.users["county_a_staff"], accept=True)
    accepted = world.accepted_monthly_report_a
    station = world.users["station_staff"]
    assert refused_now("review", station, accepted) == "只有已报送的月报才能审核。"
    with pytest.raises(ValidationError):
        services.report_review(report=accepted, actor=station, accept=False, reason="再看看")


# The page ---------------------------------------------------------------------------------------


def _page(client, report):
    response = client.get(reverse("inspections:report_detail", args=[report.pk]))
    assert response.status_code == 200
    return response


def _url(name, report):
    return reverse(f"inspections:{name}", args=[report.pk])


def test_the_page_offers_the_institution_only_what_it_may_do_now(world, client_for):
    client = client_for("institution_user")
    draft = _page(client, world.draft_monthly_report_a)
    assert draft.context["actions"] == {"edit", "submit"}
    body = draft.content.decode()
    assert _url("report_submit", world.draft_monthly_report_a) in body
    assert _url("report_edit", world.draft_monthly_report_a) in body
    assert _url("report_explain", world.draft_monthly_report_a) not in body
    submitted = _page(client, world.monthly_report_a)
    assert submitted.context["actions"] == {"explain"}
    body = submitted.content.decode()
    for name in ("report_submit", "report_edit", "report_amend", "report_review"):
        assert _url(name, world.monthly_report_a) not in body, name
    # Its figures add up, but not to the resident records of institution A (the residents'
    # world has fewer people on record than the report counts): the form to explain it.
    assert _url("report_explain", world.monthly_report_a) in body
    accepted = _page(client, world.accepted_monthly_report_a)
    assert accepted.context["actions"] == {"explain", "amend"}
    assert _url("report_amend", world.accepted_monthly_report_a) in accepted.content.decode()


def test_the_page_offers_an_explanation_once_a_discrepancy_is_submitted(world, client_for):
    client = client_for("institution_user")
    draft = flagged_report(world, submit=False)
    body = _page(client, draft).content.decode()
    assert _url("report_explain", draft) not in body
    assert 'name="explanation"' in body  # with the submission instead
    report = services.report_submit(report=draft, actor=world.users["institution_user"])
    assert _url("report_explain", report) in _page(client, report).content.decode()


def test_the_page_offers_the_review_to_the_placing_station_only_while_submitted(world, client_for):
    report, review = world.monthly_report_a, _url("report_review", world.monthly_report_a)
    station = _page(client_for("station_staff"), report)
    assert station.context["actions"] == {"review"}
    assert review in station.content.decode()
    county = _page(client_for("county_a_staff"), report)
    assert county.context["actions"] == frozenset()
    assert review not in county.content.decode()
    accepted = world.accepted_monthly_report_a
    body = _page(client_for("station_staff"), accepted).content.decode()
    assert _url("report_review", accepted) not in body


def test_a_state_refusal_is_a_message_not_a_403(world, client_for):
    client = client_for("institution_user")
    response = client.post(
        _url("report_explain", world.draft_monthly_report_a), {"explanation": "x"}
    )
    assert response.status_code == 400
    assert "草稿：报送前送托救助管理站看不到。" in response.content.decode()
    edit = client.get(_url("report_edit", world.monthly_report_a))
    assert edit.status_code == 302
    assert edit["Location"] == _url("report_detail", world.monthly_report_a)
    assert (
        client_for("county_a_staff").get(_url("report_edit", world.monthly_report_a)).status_code
        == 403
    )
