"""The issue ledger's counts from the stored tallies (IssueTally) are the counts of the issues
themselves, for every filter the tallies answer; other filters count the issues."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit_portal.core.history import save_audited
from inspections.models import Issue
from inspections.selectors.inspections import issues_for, ledger_filter
from inspections.selectors.ledger import ledger_tables, tallied_counts
from tests.inspections.ledger_helpers import MONDAY, at, build_world_on_monday, raise_issue
from tests.inspections.test_ledger import clock  # noqa: F401
from tests.shared_state import shared

URL = reverse("inspections:issue_ledger")
LATER = MONDAY + datetime.timedelta(days=40)


@pytest.fixture
@shared(build_world_on_monday)
def world(clock, _shared_states, db):  # noqa: F811
    world = _shared_states.copy(build_world_on_monday)
    staff = world.users["county_a_staff"]
    for area, severity in [("fire_safety", "serious"), ("food_drug", "general")] * 2:
        raise_issue(world.institution_a, staff, area=area, severity=severity)
    raise_issue(world.institution_b, world.users["county_b_staff"], area="food_drug")
    waiting, done = Issue.objects.filter(institution=world.institution_a)[:2]
    waiting.status = Issue.Status.SUBMITTED
    save_audited(waiting, actor=staff, reason="整改已提交")
    done.status, done.closed_on = Issue.Status.CLOSED, MONDAY
    save_audited(done, actor=staff, reason="验收销号")
    return world


FILTERS = [
    {},
    {"status": "unclosed"},
    {"status": "open"},
    {"status": "submitted"},
    {"status": "closed"},
    {"overdue": "on"},
    {"overdue": "on", "status": "submitted"},
    {"area": "fire_safety"},
    {"severity": "general", "status": "open"},
    {"county": "county_a"},
    {"institution": "institution_b", "overdue": "on"},
]


@pytest.mark.parametrize("query", FILTERS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_the_tallied_counts_equal_the_counts_of_the_issues(world, client_for, query):
    params = {
        key: getattr(world, value).pk if key in ("county", "institution") else value
        for key, value in query.items()
    }
    with time_machine.travel(at(LATER), tick=False):
        response = client_for("city_staff").get(URL, params)
        assert response.status_code == 200
        ledger = response.context["ledger"]
        assert tallied_counts(world.users["city_staff"], ledger.cleaned_data(), LATER) is not None
        data = ledger.cleaned_data()
        live = ledger_tables(
            ledger_filter(
                issues_for(world.users["city_staff"]),
                on=LATER,
                county=data.get("county"),
                institution=data.get("institution"),
                area=data.get("area") or "",
                severity=data.get("severity") or "",
                status=data.get("status") or "",
                overdue=bool(data.get("overdue")),
            ),
            LATER,
        )
    assert response.context["tables"] == live
    assert response.context["page"].paginator.count == live["totals"]["total"]


def test_a_filter_the_tallies_cannot_answer_counts_the_issues(world, client_for):
    response = client_for("city_staff").get(URL, {"due_within": 30})
    data = response.context["ledger"].cleaned_data()
    assert tallied_counts(world.users["city_staff"], data, MONDAY) is None
    assert response.context["page"].paginator.count == len(
        ledger_filter(issues_for(world.users["city_staff"]), on=MONDAY, due_within=30)
    )


def test_an_institution_user_s_counts_come_from_its_issues(world):
    user = world.users["institution_user"]
    assert tallied_counts(user, {}, MONDAY) is None
