"""Supervisor activity (issue 5): trainings and symposiums attended, complaints forwarded and
their handling status, suggestions made."""

import pytest
from django.urls import reverse

from supervisors.models import Complaint, Event

pytestmark = pytest.mark.django_db


def test_staff_record_who_attended_a_training_and_the_supervisor_sees_it(world, client_for):
    response = client_for("city_staff").post(
        reverse("supervisors:event_create"),
        {
            "kind": "training",
            "title": "2026年特邀监督员业务培训",
            "held_on": "2026-05-20",
            "place": "市民政局三楼会议室",
            "attendees": [world.supervisor_record.pk],
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title="2026年特邀监督员业务培训")
    assert list(event.attendees.all()) == [world.supervisor_record]
    assert {row.history_user for row in event.history.all()} == {world.users["city_staff"]}
    home = client_for("supervisor").get(reverse("home")).content.decode()
    assert "2026年特邀监督员业务培训" in home


def test_staff_update_a_forwarded_complaint_and_the_supervisor_sees_its_status(world, client_for):
    complaint = world.complaint
    response = client_for("city_staff").post(
        reverse("supervisors:complaint_update", args=[complaint.pk]),
        {"status": "handling", "note": "已转东湖区民政局核查"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.HANDLING
    latest = complaint.history.first()
    assert latest.history_user == world.users["city_staff"]
    assert latest.history_change_reason == "已转东湖区民政局核查"
    home = client_for("supervisor").get(reverse("home")).content.decode()
    assert str(Complaint.Status.HANDLING.label) in home


def test_a_complaint_update_without_a_note_changes_nothing(world, client_for):
    complaint = world.complaint
    client_for("city_staff").post(
        reverse("supervisors:complaint_update", args=[complaint.pk]), {"status": "closed"}
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.FORWARDED


def test_a_supervisor_makes_a_suggestion_about_an_assigned_institution(world, client_for):
    from supervisors import services

    services.group_assign(
        group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
    )
    client = client_for("supervisor")
    response = client.post(
        reverse("supervisors:suggestion_create"),
        {"institution": world.institution_a.pk, "text": "建议增设夜间巡查记录"},
    )
    assert response.status_code == 302
    suggestion = world.supervisor_record.suggestions.get()
    assert suggestion.institution == world.institution_a
    assert "建议增设夜间巡查记录" in client.get(reverse("home")).content.decode()


def test_a_suggestion_about_an_unassigned_institution_is_refused(world, client_for):
    response = client_for("supervisor").post(
        reverse("supervisors:suggestion_create"),
        {"institution": world.institution_b.pk, "text": "建议改善伙食"},
    )
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors
    assert not world.supervisor_record.suggestions.exists()
