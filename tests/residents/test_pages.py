"""The resident pages write through the services and show the clocks: each form's happy path
(the database after the request), the list's filters and the returned-home ledger."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from residents.models import IdentityStep, Resident, ReturnHome
from tests.residents.factories import admit

pytestmark = pytest.mark.django_db


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def names(client, query) -> set[str]:
    page = client.get(reverse("residents:resident_list"), query).context["page"]
    return {resident.name for resident in page}


def test_the_list_filters_overdue_steps_and_long_stays(world, client_for):
    late = admit(
        world.agreement_a,
        name="无名氏逾期",
        admitted_at=timezone.now() - datetime.timedelta(hours=30),
    )
    client = client_for("station_staff")
    assert "无名氏逾期" in names(client, {"overdue": "on"})
    assert world.resident_b.name not in names(client, {})
    long_stays = names(client, {"long_stay": "on"})
    assert world.resident_a.name in long_stays and late.name not in long_stays
    assert names(client, {"status": "discharged"}) == {world.returned_a.name}


def test_the_detail_page_counts_down_to_the_notice(world, client_for):
    resident = admit(world.agreement_a, name="无名氏新", admitted_at=timezone.now())
    response = client_for("station_staff").get(
        reverse("residents:resident_detail", args=[resident.pk])
    )
    assert response.status_code == 200
    assert "badge--warn" in response.content.decode()


def test_the_station_records_a_police_request_and_its_answer(world, client_for):
    client = client_for("station_staff")
    resident = world.resident_a
    requested = timezone.now() - datetime.timedelta(days=2)
    response = client.post(
        reverse("residents:step_add", args=[resident.pk]),
        {"kind": "police", "started_at": local(requested), "reference": "协查〔2026〕9号"},
    )
    assert response.status_code == 302
    step = resident.identity_steps.get(kind=IdentityStep.Kind.POLICE)
    assert step.due_at > step.started_at and step.recorded_by == world.users["station_staff"]
    response = client.post(
        reverse("residents:step_done", args=[step.pk]),
        {"done_at": local(timezone.now()), "outcome": "identified", "note": "户籍地已核实"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.outcome == "identified" and step.done_at is not None


def test_the_institution_records_health_notes_and_a_death(world, client_for):
    client = client_for("institution_user")
    resident = admit(world.agreement_a, name="无名氏丙")
    response = client.post(
        reverse("residents:resident_care", args=[resident.pk]),
        {"health_notes": "高血压，每日服药", "reason": "入院体检"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("residents:resident_discharge", args=[resident.pk]),
        {"kind": "died", "discharged_at": local(timezone.now()), "reason": "因病死亡"},
    )
    assert response.status_code == 302
    resident = Resident.objects.get(pk=resident.pk)
    assert resident.health_notes == "高血压，每日服药"
    assert resident.discharge_kind == Resident.Discharge.DIED and not resident.in_care
    assert resident.history.latest().history_change_reason == "因病死亡"


def test_the_station_records_a_return_home_the_feedback_and_a_visit(world, client_for):
    client = client_for("station_staff")
    resident = admit(world.agreement_a, name="无名氏丁", birth_year=timezone.now().year - 16)
    response = client.post(
        reverse("residents:return_home", args=[resident.pk]),
        {
            "returned_at": local(timezone.now()),
            "home_area": "河南省周口市",
            "home_station": "周口市救助管理站",
        },
    )
    assert response.status_code == 302
    entry = ReturnHome.objects.get(resident=resident)
    assert entry.follow_up_required
    today = timezone.localdate().isoformat()
    client.post(reverse("residents:return_feedback", args=[resident.pk]), {"sent_on": today})
    visit = entry.follow_ups.get()
    client.post(
        reverse("residents:follow_up_done", args=[visit.pk]),
        {"done_on": today, "visited_by": "周口站 王某"},
    )
    entry.refresh_from_db()
    visit.refresh_from_db()
    assert entry.feedback_sent_on == timezone.localdate()
    assert visit.done_on == timezone.localdate() and visit.visited_by == "周口站 王某"


def test_the_ledger_shows_missed_follow_ups(world, client_for):
    visit = world.follow_up_a
    type(visit).objects.filter(pk=visit.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client_for("county_a_staff").get(reverse("residents:return_ledger"))
    assert response.status_code == 200
    assert response.context["missed_count"] == 1
    assert world.returned_a.name in response.content.decode()


def test_the_ledger_of_county_b_shows_none_of_county_a(world, client_for):
    response = client_for("county_b_staff").get(reverse("residents:return_ledger"))
    assert world.returned_a.name not in response.content.decode()


def test_the_station_schedules_one_more_follow_up_visit(world, client_for):
    entry = world.return_home_a
    due = entry.returned_on + datetime.timedelta(days=90)
    response = client_for("station_staff").post(
        reverse("residents:follow_up_add", args=[world.returned_a.pk]),
        {"due_on": due.isoformat()},
    )
    assert response.status_code == 302
    assert entry.follow_ups.filter(due_on=due).exists()


def test_a_visit_before_the_return_is_refused(world, client_for):
    entry = world.return_home_a
    response = client_for("station_staff").post(
        reverse("residents:follow_up_add", args=[world.returned_a.pk]),
        {"due_on": (entry.returned_on - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert entry.follow_ups.count() == 1


def test_the_family_search_notice_is_not_added_twice(world):
    from django.core.exceptions import ValidationError

    from residents import services

    with pytest.raises(ValidationError):
        services.identity_step_record(
            resident=world.resident_a,
            kind="notice",
            started_at=timezone.now(),
            actor=world.users["station_staff"],
        )


def test_the_detail_page_answers_only_get(world, client_for):
    url = reverse("residents:resident_detail", args=[world.resident_a.pk])
    assert client_for("station_staff").post(url).status_code == 405
