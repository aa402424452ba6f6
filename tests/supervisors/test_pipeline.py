"""The appointment pipeline (issue 5): procedures in progress by default, any one stage on
request, and pages that keep the chosen stage."""

import pytest
from django.urls import reverse

from supervisors import services
from tests.supervisors.factories import SupervisorFactory

pytestmark = pytest.mark.django_db
URL = "supervisors:appointment_list"


def test_the_pipeline_shows_procedures_in_progress_by_default(world, client_for):
    response = client_for("city_staff").get(reverse(URL))
    assert [a.pk for a in response.context["page"]] == [world.appointment.pk]
    assert "候选人甲" in response.content.decode()


def test_the_pipeline_filters_by_stage(world, client_for):
    services.appointment_turn_down(
        appointment=world.appointment, reason="本人婉拒", actor=world.users["city_staff"]
    )
    client = client_for("city_staff")
    assert list(client.get(reverse(URL)).context["page"]) == []
    turned_down = client.get(reverse(URL), {"stage": "turned_down"}).context["page"]
    assert [a.pk for a in turned_down] == [world.appointment.pk]


def test_the_next_page_keeps_the_stage(world, client_for):
    city = world.users["city_staff"]
    for _n in range(26):
        appointment = services.appointment_nominate(
            supervisor=SupervisorFactory(), invited_on=world.appointment.invited_on, actor=city
        )
        services.appointment_turn_down(appointment=appointment, reason="名额已满", actor=city)
    response = client_for("city_staff").get(reverse(URL), {"stage": "turned_down"})
    assert response.context["page"].paginator.count == 26
    assert 'href="?stage=turned_down&amp;page=2"' in response.content.decode()
