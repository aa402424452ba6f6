# ruff: noqa: F811  (the fixtures imported from test_dashboard are used as arguments)
"""The stored risk figures (InstitutionRisk): recounted after a change to the records, once a
day for the date, by the worker when a whole scope is out of date, and never left stale by a
change made while a count ran."""

import datetime

import time_machine
from django.core.management import call_command
from django.urls import reverse

import audit_portal.core.web
from audit_portal.core.history import save_audited
from inspections.models import Institution, InstitutionRisk, Issue
from inspections.selectors.dashboard import dashboard_rows, risk_figures
from inspections.services import risk
from tests.inspections.factories import InstitutionFactory
from tests.inspections.test_dashboard import TODAY, area, at, clock, issue, small  # noqa: F401

URL = reverse("inspections:dashboard")


def figures_of(user, name):
    return next(row.figures for row in dashboard_rows(user, TODAY) if row.institution.name == name)


def test_a_new_issue_is_counted_on_the_next_page(area, small):
    staff = area["city_staff"]
    assert figures_of(staff, "乙颐养院").open_issues == 0
    issue(small["q"], area["county_staff"], "Q-1", deadline=datetime.date(2026, 3, 1))
    q = figures_of(staff, "乙颐养院")
    assert (q.open_issues, q.overdue_issues) == (1, 1)


def test_closing_an_issue_is_counted_on_the_next_page(area, small):
    staff = area["city_staff"]
    assert figures_of(staff, "甲福利院").overdue_issues == 1
    overdue = Issue.objects.get(number="P-1")
    overdue.status = Issue.Status.CLOSED
    overdue.closed_on = TODAY
    save_audited(overdue, actor=area["county_staff"], reason="整改完成")
    assert figures_of(staff, "甲福利院").overdue_issues == 0


def test_only_the_changed_institution_is_recounted(area, small, django_assert_num_queries):
    staff = area["city_staff"]
    dashboard_rows(staff, TODAY)
    before = {f.institution_id: f.counted_at for f in InstitutionRisk.objects.all()}
    with time_machine.travel(at(TODAY, 11), tick=False):
        issue(small["q"], area["county_staff"], "Q-1", deadline=datetime.date(2026, 4, 1))
        dashboard_rows(staff, TODAY)
    after = {f.institution_id: f.counted_at for f in InstitutionRisk.objects.all()}
    assert after[small["p"].pk] == before[small["p"].pk]
    assert after[small["q"].pk] > before[small["q"].pk]


def test_a_change_made_while_a_count_ran_leaves_the_row_to_count_again(area, small):
    dashboard_rows(area["city_staff"], TODAY)
    row = InstitutionRisk.objects.get(institution=small["p"])
    # The count started at 10:00; a record changed at 10:00 too, after the count had read it.
    risk.risk_mark_changed(small["p"].pk)
    row.refresh_from_db()
    assert row.changed_at >= row.counted_at
    assert InstitutionRisk.objects.needing_count(TODAY).filter(pk=row.pk).exists()


def test_the_next_day_every_figure_is_recounted_for_the_date(area, small):
    staff = area["city_staff"]
    assert figures_of(staff, "甲福利院").overdue_issues == 1
    later = datetime.date(2026, 4, 15)
    with time_machine.travel(at(later), tick=False):
        rows = dashboard_rows(staff, later)
    p = next(r.figures for r in rows if r.institution.name == "甲福利院")
    # P-2 (deadline 10 April) is overdue now.
    assert (p.counted_on, p.overdue_issues) == (later, 2)


def test_a_whole_scope_out_of_date_is_counted_by_the_worker_and_the_page_says_so(
    area, small, client, monkeypatch, django_capture_on_commit_callbacks
):
    staff = area["city_staff"]
    dashboard_rows(staff, TODAY)
    monkeypatch.setattr(risk, "COUNT_IN_REQUEST", 1)
    later = datetime.date(2026, 3, 21)
    with time_machine.travel(at(later), tick=False):
        client.force_login(staff)
        with django_capture_on_commit_callbacks(execute=False) as enqueued:
            response = client.get(URL)
        assert response.status_code == 200
        assert {row.figures.counted_on for row in response.context["rows"]} == {TODAY}
        assert "今日统计正在进行" in response.content.decode()
        assert len(enqueued) == 1
        # Another page the same day does not enqueue the count again.
        with django_capture_on_commit_callbacks(execute=False) as again:
            client.get(URL)
        assert again == []
        enqueued[0]()  # the worker (the immediate backend in tests) runs the count
        assert set(InstitutionRisk.objects.values_list("counted_on", flat=True)) == {later}


def test_the_daily_command_counts_every_institution_and_the_dashboard_leaves_out_terminated(
    area, small
):
    dashboard_rows(area["city_staff"], TODAY)
    small["q"].status = Institution.Status.TERMINATED
    save_audited(small["q"], actor=area["city_staff"], reason="终止托养")
    extra = InstitutionFactory(county=area["county"])
    call_command("count_risk", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Counted (the ledger still counts a terminated institution's issues) ...
    assert set(InstitutionRisk.objects.values_list("institution", flat=True)) == {
        small["p"].pk,
        small["q"].pk,
        extra.pk,
    }
    # ... but not on the dashboard.
    shown = {row.institution.pk for row in dashboard_rows(area["city_staff"], TODAY)}
    assert shown == {small["p"].pk, extra.pk}


def test_the_dashboard_sorts_and_pages_in_sql(area, small, client, monkeypatch):
    monkeypatch.setattr(audit_portal.core.web, "PAGE_SIZE", 1)
    client.force_login(area["city_staff"])
    first = client.get(URL)
    assert [r.institution.name for r in first.context["rows"]] == ["甲福利院"]
    assert first.context["page"].paginator.count == 2
    by_name = client.get(URL, {"sort": "name", "page": 2})
    assert [r.institution.name for r in by_name.context["rows"]] == ["甲福利院"]
    never_inspected_first = client.get(URL, {"sort": "inspection"})
    assert [r.institution.name for r in never_inspected_first.context["rows"]] == ["乙颐养院"]
    # An unknown sort is the default order.
    assert client.get(URL, {"sort": "x"}).context["sort"] == "score"


def test_the_stored_figures_equal_a_fresh_count(area, small):
    """Whatever path wrote them, the stored rows hold what a count from the records gives."""
    stored = {f.institution_id: f for f in risk_figures(area["city_staff"], TODAY)}
    InstitutionRisk.objects.all().delete()
    risk.risk_count(on=TODAY)
    for fresh in InstitutionRisk.objects.all():
        old = stored[fresh.institution_id]
        for name in [*risk._FIGURES, "score", "latest_report_id", "latest_report_flagged"]:
            assert getattr(old, name) == getattr(fresh, name), name
