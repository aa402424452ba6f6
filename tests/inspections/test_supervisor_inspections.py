"""Supervisors inspect the institutions assigned to them (DOMAIN §4): they plan supervisor
visits, list issues and verify rectification there, and nowhere else."""

import pytest
from django.urls import reverse

from inspections.models import Inspection, Issue, Rectification
from tests.inspections.factories import default_template, started_inspection

pytestmark = pytest.mark.django_db


def test_an_assigned_supervisor_plans_a_supervisor_visit(assigned, client_for):
    world = assigned
    response = client_for("supervisor").post(
        reverse("inspections:inspection_create", args=[world.institution_a.pk]),
        {
            "kind": "supervisor_visit",
            "planned_on": "2026-12-03",
            "template": default_template().pk,
        },
    )
    assert response.status_code == 302
    visit = Inspection.objects.get(kind="supervisor_visit")
    assert visit.lead == world.users["supervisor"]


def test_a_supervisor_cannot_plan_a_routine_inspection(assigned, client_for):
    world = assigned
    before = Inspection.objects.count()
    response = client_for("supervisor").post(
        reverse("inspections:inspection_create", args=[world.institution_a.pk]),
        {"kind": "routine", "planned_on": "2026-12-03", "template": default_template().pk},
    )
    assert response.status_code == 200
    assert Inspection.objects.count() == before


def test_an_unassigned_supervisor_gets_404(world, client_for):
    url = reverse("inspections:inspection_create", args=[world.institution_a.pk])
    assert client_for("supervisor").get(url).status_code == 404


def test_an_assigned_supervisor_raises_an_issue_and_verifies_a_rectification(assigned, client_for):
    world = assigned
    client = client_for("supervisor")
    client.post(
        reverse("inspections:issue_create", args=[world.institution_a.pk]),
        {
            "area": "daily_care",
            "description": "部分居室床单更换不及时",
            "severity": "general",
            "responsible_person": "郑文",
        },
    )
    issue = Issue.objects.get(description="部分居室床单更换不及时")
    assert issue.raised_by == world.users["supervisor"]
    response = client.post(
        reverse("inspections:rectification_decide", args=[world.rectification_a.pk]),
        {"decision": "accept"},
    )
    assert response.status_code == 302
    world.rectification_a.refresh_from_db()
    assert world.rectification_a.decision == Rectification.Decision.ACCEPTED
    home = client.get(reverse("home")).content.decode()
    assert issue.number in home


def test_a_supervisor_cannot_approve_extensions(assigned, client_for):
    world = assigned
    response = client_for("supervisor").post(
        reverse("inspections:extension_decide", args=[world.extension_a.pk]),
        {"decision": "approve", "reason": "同意"},
    )
    assert response.status_code == 403


def test_my_inspections_lists_only_those_the_supervisor_is_on_the_team_of(assigned, client_for):
    world = assigned
    staff = world.users["county_a_staff"]
    joined = started_inspection(world.institution_a, staff, team=[world.users["supervisor"]])
    other = started_inspection(world.institution_a, staff)
    client = client_for("supervisor")
    url = reverse("inspections:inspection_list")
    everything = {i.pk for i in client.get(url).context["page"]}
    mine = {i.pk for i in client.get(url, {"mine": "1"}).context["page"]}
    assert {joined.pk, other.pk} <= everything
    assert mine == {joined.pk}
