"""Admission: only the placing station, under an agreement in force that accepts the category,
while it has a place left; the agreement's row is locked first so that two admissions at once
cannot both take its last place."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from inspections.models import CustodyAgreement, ResidentCategory
from residents.models import IdentityStep, Resident
from tests.inspections.factories import AgreementFactory
from tests.residents.factories import admit
from tests.world import build_world

pytestmark = pytest.mark.django_db


def small_agreement(world, places: int = 1) -> CustodyAgreement:
    return AgreementFactory(
        station=world.station, institution=world.institution_a, agreed_places=places
    )


def test_the_station_admits_and_the_notice_clock_starts(world):
    resident = admit(world.agreement_a, actor=world.users["station_staff"])
    assert resident.station == world.station and resident.institution == world.institution_a
    notice = resident.identity_steps.get()
    assert notice.kind == IdentityStep.Kind.NOTICE and notice.due_at > resident.admitted_at
    assert resident.history.get().history_user == world.users["station_staff"]


def test_a_full_agreement_refuses_the_next_admission(world):
    agreement = small_agreement(world, places=1)
    admit(agreement)
    with pytest.raises(ValidationError, match="托养名额已满"):
        admit(agreement, name="无名氏乙")
    assert agreement.resident_records.count() == 1


def test_a_discharge_frees_the_place(world):
    agreement = small_agreement(world, places=1)
    first = admit(agreement)
    from residents import services

    services.resident_discharge(
        resident=first,
        kind=Resident.Discharge.TRANSFERRED,
        discharged_at=timezone.now(),
        actor=world.users["institution_user"],
        reason="转至精神病院治疗",
    )
    assert admit(agreement, name="无名氏乙").in_care


def test_the_admission_locks_the_agreement_row(world, monkeypatch):
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    admit(small_agreement(world))
    assert CustodyAgreement in locked


@pytest.mark.django_db(transaction=True)
def test_two_admissions_at_once_take_the_last_place_once():
    if connection.vendor != "postgresql":
        pytest.skip("a concurrent race needs a server database")
    world = build_world()
    agreement = small_agreement(world, places=1)
    barrier = threading.Barrier(2)
    answers: list = [None, None]

    def run(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = admit(agreement, name=f"无名氏{index}")
        except Exception as error:
            answers[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(isinstance(a, Resident) for a in answers) == 1
    assert sum(isinstance(a, ValidationError) for a in answers) == 1
    assert Resident.objects.filter(agreement=agreement).count() == 1


def test_an_agreement_not_in_force_refuses(world):
    agreement = small_agreement(world, places=5)
    CustodyAgreement.objects.filter(pk=agreement.pk).update(
        status=CustodyAgreement.Status.SUSPENDED
    )
    agreement.refresh_from_db()
    with pytest.raises(ValidationError, match="协议未生效"):
        admit(agreement)
    before_start = datetime.datetime(2024, 6, 1, 9, 0, tzinfo=timezone.get_current_timezone())
    with pytest.raises(ValidationError, match="协议未生效"):
        admit(world.agreement_a, admitted_at=before_start)


def test_an_institution_that_no_longer_meets_the_conditions_receives_no_one(world):
    from inspections.models import Institution

    Institution.objects.filter(pk=world.institution_a.pk).update(
        status=Institution.Status.SUSPENDED
    )
    with pytest.raises(ValidationError) as refused:
        admit(world.agreement_a)
    assert refused.value.code == "institution_not_eligible"


def test_a_category_the_agreement_does_not_accept_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        admit(world.agreement_a, category=ResidentCategory.MENTAL_ILLNESS)
    assert "category" in refused.value.message_dict


def test_only_the_placing_station_admits(world):
    for persona in ("county_a_staff", "city_staff", "institution_user", "admin"):
        with pytest.raises(PermissionDenied):
            admit(world.agreement_a, actor=world.users[persona])
    with pytest.raises(PermissionDenied):
        admit(world.agreement_b, actor=world.users["station_staff"])


def test_the_admit_page_admits_under_the_stations_agreement(world, client_for):
    client = client_for("station_staff")
    response = client.post(
        reverse("residents:resident_admit"),
        {
            "agreement": world.agreement_a.pk,
            "admitted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "name": "无名氏2026-100",
            "name_is_provisional": "on",
            "sex": "female",
            "category": "elderly",
            "identity_status": "unknown",
        },
    )
    resident = Resident.objects.get(name="无名氏2026-100")
    assert response.status_code == 302
    assert response.url == reverse("residents:resident_detail", args=[resident.pk])
    assert resident.sex == "female" and resident.name_is_provisional


def test_the_admit_page_shows_the_refusal_when_full(world, client_for):
    agreement = small_agreement(world, places=1)
    admit(agreement)
    response = client_for("station_staff").post(
        reverse("residents:resident_admit"),
        {
            "agreement": agreement.pk,
            "admitted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "name": "无名氏2026-101",
            "sex": "male",
            "category": "elderly",
            "identity_status": "unknown",
        },
    )
    assert response.status_code == 200
    assert "agreed places" in response.content.decode() or "约定" in response.content.decode()
    assert not Resident.objects.filter(name="无名氏2026-101").exists()
