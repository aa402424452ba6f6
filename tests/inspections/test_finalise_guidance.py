"""Finalising a report: the page says why it cannot be finalised yet, finalising inside the
comment period is confirmed, a final report no longer invites comments; and the supervisor who
led a supervisor visit sends its report for comments."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from inspections.models import Inspection
from inspections.policies import inspection_policy
from inspections.services.inspections import inspection_open_comments
from tests.inspections.factories import submitted_inspection

pytestmark = pytest.mark.django_db


def _detail(world):
    return reverse("inspections:inspection_detail", args=[world.inspection_a.pk])


def _finalise(world):
    return reverse("inspections:inspection_finalise", args=[world.inspection_a.pk])


def _comment(world, client_for):
    client_for("institution_user").post(
        reverse("inspections:inspection_comment", args=[world.inspection_a.pk]),
        {"comment": "第2项已当场整改"},
    )


def test_the_page_says_why_the_report_cannot_be_finalised_yet(world, client_for):
    html = client_for("county_a_staff").get(_detail(world)).content.decode()
    deadline = world.inspection_a.comment_deadline
    assert _finalise(world) not in html
    assert str(deadline) in html  # "The institution may comment until …; finalise after that."


def test_finalising_inside_the_comment_period_asks_to_confirm(world, client_for):
    _comment(world, client_for)
    client = client_for("county_a_staff")
    assert 'name="confirm_early"' in client.get(_detail(world)).content.decode()
    response = client.post(_finalise(world))
    assert response.status_code == 302
    world.inspection_a.refresh_from_db()
    assert world.inspection_a.status == Inspection.Status.COMMENTING
    client.post(_finalise(world), {"confirm_early": "1"})
    world.inspection_a.refresh_from_db()
    assert world.inspection_a.status == Inspection.Status.FINAL


def test_a_final_report_no_longer_invites_comments(world, client_for):
    _comment(world, client_for)
    client_for("county_a_staff").post(_finalise(world), {"confirm_early": "1"})
    response = client_for("institution_user").get(_detail(world))
    html = response.content.decode()
    assert not response.context["comments_open"]
    assert "前对报告事实反馈意见" not in html and "open until" not in html
    assert reverse("inspections:inspection_comment", args=[world.inspection_a.pk]) not in html


def test_the_supervisor_who_led_a_visit_sends_it_for_comments(assigned):
    world = assigned
    supervisor = world.users["supervisor"]
    visit, _issues = submitted_inspection(world.institution_a, supervisor, kind="supervisor_visit")
    assert inspection_policy.allows("open_comments", supervisor, visit)
    visit = inspection_open_comments(inspection=visit, actor=supervisor)
    assert visit.status == Inspection.Status.COMMENTING
    # Finalising stays with the bureau.
    assert not inspection_policy.allows("finalise", supervisor, visit)


def test_a_supervisor_does_not_send_a_staff_inspection_for_comments(assigned):
    world = assigned
    inspection, _issues = submitted_inspection(world.institution_a, world.users["county_a_staff"])
    with pytest.raises(PermissionDenied):
        inspection_open_comments(inspection=inspection, actor=world.users["supervisor"])
