"""The staff roster's filters (issue 5): term running or not, group, name."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.supervisors.factories import SupervisorFactory, TermFactory

pytestmark = pytest.mark.django_db


def names(client, **params) -> set[str]:
    response = client.get(reverse("supervisors:supervisor_list"), params)
    assert response.status_code == 200
    return {s.full_name for s in response.context["page"]}


@pytest.fixture
def roster(world):
    today = timezone.localdate()
    SupervisorFactory(full_name="已卸任监督员")
    ended = SupervisorFactory(full_name="任期届满监督员")
    TermFactory(
        supervisor=ended,
        starts_on=today - datetime.timedelta(days=2000),
        last_day=today - datetime.timedelta(days=1),
    )
    return world


def test_the_roster_filters_supervisors_with_a_running_term(roster, client_for):
    client = client_for("city_staff")
    running = names(client, active="yes")
    assert "刘志强" in running
    assert not running & {"已卸任监督员", "任期届满监督员", "候选人甲"}
    assert {"已卸任监督员", "任期届满监督员", "候选人甲"} <= names(client, active="no")
    assert "刘志强" not in names(client, active="no")


def test_the_roster_filters_by_group(roster, client_for):
    members = {m.supervisor.full_name for m in roster.group.current_memberships()}
    assert len(members) == 3
    assert names(client_for("city_staff"), group=roster.group.pk) == members


def test_the_roster_searches_by_name(roster, client_for):
    assert names(client_for("city_staff"), q="志强") == {"刘志强"}
