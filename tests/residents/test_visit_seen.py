"""The monthly visit lists the residents the station saw: the visit's page links to the list,
the station ticks residents in care under the visit's agreement on the visit's day, and the
list keeps its history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections.services.inspections import visit_record
from residents import visits
from residents.models import ResidentSeen

pytestmark = pytest.mark.django_db


def visit_on(world, days_ago: int = 1):
    return visit_record(
        agreement=world.agreement_a,
        performed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        residents_seen=1,
        summary="探视托养人员，情况良好",
        actor=world.users["station_staff"],
    )


def url(visit) -> str:
    return reverse("residents:visit_residents", args=[visit.pk])


def test_the_visit_page_links_to_the_residents_seen(world, client_for):
    visit = visit_on(world)
    page = client_for("station_staff").get(
        reverse("inspections:inspection_detail", args=[visit.pk])
    )
    assert url(visit) in page.content.decode()


def test_the_station_ticks_the_residents_it_saw_with_a_note(world, client_for):
    visit = visit_on(world)
    resident = world.resident_a
    response = client_for("station_staff").post(
        url(visit), {f"seen_{resident.pk}": "on", f"note_{resident.pk}": "精神状态良好"}
    )
    assert response.status_code == 302
    seen = ResidentSeen.objects.get(visit=visit)
    assert seen.resident == resident and seen.note == "精神状态良好"
    assert seen.history.get().history_user == world.users["station_staff"]


def test_unticking_removes_the_resident_and_the_history_keeps_it(world, client_for):
    visit = visit_on(world)
    client = client_for("station_staff")
    client.post(url(visit), {f"seen_{world.resident_a.pk}": "on"})
    client.post(url(visit), {})
    assert not ResidentSeen.objects.filter(visit=visit).exists()
    assert ResidentSeen.history.filter(visit_id=visit.pk, history_type="-").count() == 1


def test_the_list_offers_the_residents_in_care_on_the_visits_day(world):
    station = world.users["station_staff"]
    yesterday = set(visits.residents_to_tick(station, visit_on(world, days_ago=1)))
    # 李小军 went home two days ago: seen three days ago, not yesterday.
    assert world.resident_a in yesterday and world.returned_a not in yesterday
    assert world.returned_a in set(visits.residents_to_tick(station, visit_on(world, days_ago=3)))
    assert world.resident_b not in yesterday


def test_a_resident_under_another_agreement_is_refused(world):
    with pytest.raises(ValidationError):
        visits.visit_residents_record(
            visit=visit_on(world),
            residents=[world.resident_b],
            notes={},
            actor=world.users["station_staff"],
        )


def test_readers_see_the_list_and_only_the_station_ticks(world, client_for):
    visit = visit_on(world)
    client = client_for("institution_user")
    assert client.get(url(visit)).status_code == 200
    assert client.post(url(visit), {f"seen_{world.resident_a.pk}": "on"}).status_code == 403
    assert not ResidentSeen.objects.exists()
    assert client_for("supervisor").get(url(visit)).status_code == 404
