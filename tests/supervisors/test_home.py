"""The supervisor's home (issue 5): my institutions, upcoming and recent inspections there, the
issues I raised with their status, my term and its end date."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Inspection, Issue

pytestmark = pytest.mark.django_db


def panel(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def supervisor_panel(response) -> dict:
    """The supervisors app's panel among the home page's panels (the inbox comes first)."""
    return next(
        panel["context"]
        for panel in response.context["panels"]
        if panel["template"] == "supervisors/panels/my_supervision.html"
    )


def test_recent_inspections_at_my_institutions_are_listed(assigned, client_for):
    world = assigned
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        status=Inspection.Status.FINAL, finalised_at=timezone.now()
    )
    response = panel(client_for("supervisor"))
    recent = supervisor_panel(response)["recent_inspections"]
    assert [i.pk for i in recent] == [world.inspection_a.pk]
    url = reverse("inspections:inspection_detail", args=[world.inspection_a.pk])
    assert url in response.content.decode()


def test_recent_inspections_elsewhere_are_not_listed(world, client_for):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        status=Inspection.Status.FINAL, finalised_at=timezone.now()
    )
    assert supervisor_panel(panel(client_for("supervisor")))["recent_inspections"] == []


def test_the_issues_i_raised_show_their_status(assigned, client_for):
    world = assigned
    Issue.objects.filter(pk=world.issue_a2.pk).update(raised_by=world.users["supervisor"])
    page = panel(client_for("supervisor")).content.decode()
    assert world.issue_a2.number in page
    assert world.issue_a2.get_status_display() in page  # rectification submitted
    assert str(world.issue_a2.get_status_display()) == "已提交整改"


def test_upcoming_inspections_at_my_institutions_are_listed(assigned, client_for):
    import datetime

    from inspections.services.inspections import inspection_plan
    from tests.inspections.factories import default_template

    world = assigned
    planned = inspection_plan(
        institution=world.institution_a,
        kind="routine",
        planned_on=timezone.localdate() + datetime.timedelta(days=7),
        template=default_template(),
        team=[],
        actor=world.users["county_a_staff"],
    )
    response = panel(client_for("supervisor"))
    assert [i.pk for i in supervisor_panel(response)["upcoming_inspections"]] == [planned.pk]
    url = reverse("inspections:inspection_detail", args=[planned.pk])
    assert url in response.content.decode()


def test_an_inspection_i_take_part_in_is_not_listed_twice(assigned, client_for):
    import datetime

    from inspections.services.inspections import inspection_plan
    from tests.inspections.factories import default_template

    world = assigned
    inspection_plan(
        institution=world.institution_a,
        kind="routine",
        planned_on=timezone.localdate() + datetime.timedelta(days=7),
        template=default_template(),
        team=[world.users["supervisor"]],
        actor=world.users["county_a_staff"],
    )
    context = supervisor_panel(panel(client_for("supervisor")))
    assert context["upcoming_inspections"] == []
    assert len(context["my_inspections"]) == 1
