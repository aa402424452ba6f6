"""A county bureau reads the record of a supervisor working in its county, but the complaints
and suggestions about institutions of another county stay with that county (and the city)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from supervisors import services
from supervisors.models import Complaint, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(world):
    services.group_assign(
        group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
    )
    record, today = world.supervisor_record, timezone.localdate()
    Complaint.objects.create(
        supervisor=record, institution=world.institution_a, received_on=today, summary="甲院投诉"
    )
    Complaint.objects.create(
        supervisor=record, institution=world.institution_b, received_on=today, summary="乙院投诉"
    )
    Suggestion.objects.create(
        supervisor=record, institution=world.institution_a, made_on=today, text="甲院建议"
    )
    Suggestion.objects.create(
        supervisor=record, institution=world.institution_b, made_on=today, text="乙院建议"
    )
    return world


def detail(client, world) -> str:
    url = reverse("supervisors:supervisor_detail", args=[world.supervisor_record.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_county_staff_see_only_the_activity_about_their_county(activity, client_for):
    page = detail(client_for("county_a_staff"), activity)
    assert "甲院投诉" in page and "甲院建议" in page
    assert "乙院投诉" not in page and "乙院建议" not in page


def test_city_staff_see_all_of_it(activity, client_for):
    page = detail(client_for("city_staff"), activity)
    for text in ("甲院投诉", "乙院投诉", "甲院建议", "乙院建议", "家属反映伙食偏差"):
        assert text in page


def test_county_staff_do_not_see_the_appointment_procedures(activity, client_for):
    # The procedure (vetting notes, reasons for turning down) belongs to the joint-meeting
    # office: the county bureau gets 403 on it, and the record page does not show it either.
    city = activity.users["city_staff"]
    appointment = services.appointment_nominate(
        supervisor=activity.supervisor_record, invited_on=timezone.localdate(), actor=city
    )
    services.appointment_turn_down(appointment=appointment, reason="健康原因婉拒", actor=city)
    assert "健康原因婉拒" not in detail(client_for("county_a_staff"), activity)
    assert "健康原因婉拒" in detail(client_for("city_staff"), activity)


def test_the_letter_is_linked_only_for_those_who_may_open_it(activity, client_for):
    url = reverse("supervisors:term_letter", args=[activity.supervisor_term.pk])
    assert url not in detail(client_for("county_a_staff"), activity)
    assert url in detail(client_for("city_staff"), activity)
