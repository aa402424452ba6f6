"""The issue ledger (台账): scope, filters, countdowns, counts and the monthly chart."""

import datetime

import pytest
from django.urls import reverse

from inspections.charts import grouped_bars, nice_step
from inspections.models import Issue
from inspections.selectors.inspections import issues_for, ledger_filter
from inspections.selectors.ledger import ledger_rows, ledger_tables
from inspections.services.issues import rectification_decide
from supervisors.services import group_assign
from tests.inspections.factories import submitted_inspection
from tests.inspections.ledger_helpers import (
    MONDAY,
    at,
    build_world_on_monday,
    frozen_clock,
    raise_issue,
)
from tests.shared_state import shared

URL = reverse("inspections:issue_ledger")


@pytest.fixture
def clock():
    with frozen_clock() as traveller:
        yield traveller


@pytest.fixture
@shared(build_world_on_monday)
def world(clock, _shared_states, db):
    return _shared_states.copy(build_world_on_monday)


def numbers(response) -> set[str]:
    return {row.issue.number for row in response.context["rows"]}


def test_staff_see_the_issues_of_their_scope_only(world, client_for):
    response = client_for("county_a_staff").get(URL)
    assert response.status_code == 200
    assert numbers(response) == {world.issue_a.number, world.issue_a2.number}
    assert numbers(client_for("county_b_staff").get(URL)) == {world.issue_b.number}
    assert numbers(client_for("city_staff").get(URL)) == {
        world.issue_a.number,
        world.issue_a2.number,
        world.issue_b.number,
    }


def test_each_row_links_to_the_issue_and_counts_down_in_working_days(world, client_for):
    response = client_for("county_a_staff").get(URL)
    html = response.content.decode()
    assert reverse("inspections:issue_detail", kwargs={"pk": world.issue_a.pk}) in html
    row = next(r for r in response.context["rows"] if r.issue == world.issue_a)
    assert row.working_days_left == world.issue_a.rectification_days
    assert f"还剩 {row.working_days_left} 个工作日" in html


def test_an_institution_never_sees_another_institutions_issues(world, client_for):
    staff = world.users["county_a_staff"]
    _draft, hidden = submitted_inspection(world.institution_a, staff)  # not yet shown
    response = client_for("institution_user").get(URL + "?status=")
    assert numbers(response) == {world.issue_a.number, world.issue_a2.number}
    html = response.content.decode()
    assert world.issue_b.number not in html
    assert hidden[0].number not in html
    assert world.institution_b.name not in html


def test_an_institution_is_shown_its_open_issues_by_default(world, client_for):
    rectification_decide(
        rectification=world.rectification_a,
        actor=world.users["county_a_staff"],
        accept=True,
        reason="整改到位",
    )
    client = client_for("institution_user")
    response = client.get(URL)
    assert numbers(response) == {world.issue_a.number}
    assert "我的待整改问题" in response.content.decode()
    # Asking for every status shows the closed one too; paging keeps the default.
    assert numbers(client.get(URL + "?status=")) == {world.issue_a.number, world.issue_a2.number}
    assert numbers(client.get(URL + "?page=1")) == {world.issue_a.number}


def test_an_institution_has_no_filters_that_make_no_sense_for_it(world, client_for):
    form = client_for("institution_user").get(URL).context["form"]
    assert set(form.fields) == {"area", "severity", "status", "due_within", "overdue"}
    staff_form = client_for("city_staff").get(URL).context["form"]
    assert {"county", "institution", "mine"} <= set(staff_form.fields)
    # One county to choose from is no choice.
    assert "county" not in client_for("county_a_staff").get(URL).context["form"].fields


def test_a_supervisor_sees_assigned_institutions_and_filters_what_they_raised(world, client_for):
    supervisor = world.users["supervisor"]
    client = client_for("supervisor")
    assert numbers(client.get(URL)) == set()
    group_assign(
        group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
    )
    mine = raise_issue(world.institution_a, supervisor, description="消防通道堆放杂物")
    response = client.get(URL)
    assert numbers(response) == {world.issue_a.number, world.issue_a2.number, mine.number}
    assert "county" not in response.context["form"].fields
    assert numbers(client.get(URL + "?mine=on")) == {mine.number}


def test_an_institution_outside_the_scope_cannot_be_chosen(world, client_for):
    response = client_for("county_a_staff").get(URL + f"?institution={world.institution_b.pk}")
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors
    assert world.issue_b.number not in response.content.decode()


def test_a_bad_filter_value_is_explained_in_chinese(world, client_for):
    response = client_for("county_a_staff").get(URL + "?due_within=-3")
    assert response.status_code == 200
    assert "due_within" in response.context["form"].errors
    assert "确保该值大于或等于0" in response.content.decode()


def test_filters_by_area_severity_and_status(world, client_for):
    staff = world.users["county_a_staff"]
    fire = raise_issue(world.institution_a, staff, severity="major")
    client = client_for("county_a_staff")
    assert numbers(client.get(URL + "?area=fire_safety")) == {fire.number}
    assert numbers(client.get(URL + "?severity=major")) == {fire.number}
    assert numbers(client.get(URL + "?status=submitted")) == {world.issue_a2.number}


def test_filters_by_county_for_the_city(world, client_for):
    client = client_for("city_staff")
    assert numbers(client.get(URL + f"?county={world.county_b.pk}")) == {world.issue_b.number}
    assert numbers(client.get(URL + f"?institution={world.institution_a.pk}")) == {
        world.issue_a.number,
        world.issue_a2.number,
    }


def test_overdue_and_due_within_filters(world, client_for, clock):
    staff = world.users["county_a_staff"]
    urgent = raise_issue(world.institution_a, staff, severity="major")  # 3 working days
    clock.move_to(at(urgent.deadline + datetime.timedelta(days=1)))
    client = client_for("county_a_staff")
    assert numbers(client.get(URL + "?overdue=on")) == {urgent.number}
    due = numbers(client.get(URL + "?due_within=30"))
    assert due == {world.issue_a.number, world.issue_a2.number}
    assert numbers(client.get(URL + "?due_within=10")) == {world.issue_a.number}


def test_an_overdue_issue_says_so_in_words_not_only_colour(world, client_for, clock):
    staff = world.users["county_a_staff"]
    urgent = raise_issue(world.institution_a, staff, severity="major")
    clock.move_to(at(urgent.deadline + datetime.timedelta(days=4)))
    html = client_for("county_a_staff").get(URL).content.decode()
    assert "⚠ 已逾期 4 天" in html
    assert 'class="badge badge--bad">⚠ 已逾期 4 天' in html


def test_a_deadline_counted_without_the_official_calendar_is_marked(world, client_for):
    Issue.objects.filter(pk=world.issue_a.pk).update(deadline_official=False)
    html = client_for("county_a_staff").get(URL).content.decode()
    assert html.count("※ 未按国务院放假安排计算") == 1


def test_countdowns_cross_national_day_and_its_make_up_day(world):
    issue = raise_issue(world.institution_a, world.users["county_a_staff"], rectification_days=5)
    assert issue.deadline == datetime.date(2026, 10, 10)
    (row,) = ledger_rows([issue], MONDAY)
    assert row.working_days_left == 5
    assert not row.is_overdue and not row.provisional
    (later,) = ledger_rows([issue], datetime.date(2026, 10, 8))
    assert later.working_days_left == 2  # Fri 9 and the make-up Saturday 10
    (today,) = ledger_rows([issue], datetime.date(2026, 10, 10))
    assert today.working_days_left == 0
    (late,) = ledger_rows([issue], datetime.date(2026, 10, 13))
    assert (late.working_days_left, late.days_overdue) == (None, 3)


def test_counts_by_area_and_severity(world, clock):
    staff = world.users["county_a_staff"]
    raise_issue(world.institution_a, staff, severity="major")
    on = world.issue_a.deadline  # due that day, the major hazard already overdue
    clock.move_to(at(on))
    tables = ledger_tables(ledger_filter(issues_for(staff), on=on), on)
    assert tables["totals"] == {"total": 3, "open": 3, "overdue": 1, "closed": 0}
    by_area = {row["value"]: row for row in tables["by_area"]}
    assert by_area["fire_safety"] | {"label": None} == {
        "value": "fire_safety",
        "label": None,
        "total": 1,
        "open": 1,
        "overdue": 1,
    }
    assert by_area["internal_management"]["total"] == 2
    assert by_area["winter"]["total"] == 0  # every area is listed
    by_severity = {row["value"]: row["total"] for row in tables["by_severity"]}
    assert by_severity == {"general": 1, "serious": 1, "major": 1}


def test_the_page_shows_the_counts_of_what_is_filtered(world, client_for):
    response = client_for("county_a_staff").get(URL + "?status=submitted")
    assert response.context["tables"]["totals"]["total"] == 1


def test_the_chart_counts_issues_raised_and_closed_per_month(world, client_for, clock):
    clock.move_to(at(datetime.date(2026, 10, 12)))
    rectification_decide(
        rectification=world.rectification_a,
        actor=world.users["county_a_staff"],
        accept=True,
        reason="整改到位",
    )
    # Closed issues stay in the chart whatever the status filter says.
    response = client_for("county_a_staff").get(URL + "?status=open")
    months = {row["month"]: row for row in response.context["months"]}
    assert len(months) == 12
    assert months[datetime.date(2026, 9, 1)]["raised"] == 2
    assert months[datetime.date(2026, 10, 1)]["closed"] == 1
    assert months[datetime.date(2025, 11, 1)] == {
        "month": datetime.date(2025, 11, 1),
        "raised": 0,
        "closed": 0,
    }
    html = response.content.decode()
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "2026-09: 提出 2 项，销号 0 项" in html  # the data also read out as text


def test_chart_geometry():
    assert [nice_step(n) for n in (1, 5, 6, 10, 11, 23, 99, 240)] == [1, 1, 2, 2, 5, 5, 20, 50]
    chart = grouped_bars(["a", "b"], [[0, 4], [2, 1]], height=100, top=0, bottom=0)
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]
    tallest = chart.groups[1].bars[0]
    assert (tallest.value, tallest.y, tallest.height) == (4, 0.0, 100.0)
    assert chart.groups[0].bars[0].height == 0


def test_the_ledger_refuses_other_methods(world, client_for):
    assert client_for("county_a_staff").post(URL).status_code == 405


def test_navigation_names_the_ledger_for_each_role(world, client_for):
    assert "我的待整改问题" in client_for("institution_user").get(reverse("home")).content.decode()
    assert "问题整改台账" in client_for("supervisor").get(reverse("home")).content.decode()
