"""A placement (counts) shares the agreed places with the residents in care on record: it is
refused when its people and those residents would exceed them, under the agreement's row lock."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from inspections.models import CustodyAgreement, Placement
from inspections.services import registry as services
from residents.models import Resident
from tests.inspections.factories import AgreementFactory, InstitutionFactory, make_eligible
from tests.residents.factories import admit

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(world):
    """Three agreed places at institution C, two taken by residents on record."""
    institution = make_eligible(InstitutionFactory(name="东湖区安康养护院", county=world.county_a))
    agreement = AgreementFactory(station=world.station, institution=institution, agreed_places=3)
    admit(agreement, name="甲")
    admit(agreement, name="乙")
    return agreement


def place(world, agreement, people: int) -> Placement:
    return services.placement_start(
        agreement=agreement,
        starts_on=timezone.localdate(),
        people=people,
        category="elderly",
        actor=world.users["station_staff"],
    )


def test_a_placement_within_the_places_left_is_recorded(world, agreement):
    assert place(world, agreement, 1).people == 1


def test_a_placement_beyond_the_places_left_is_refused_with_the_figures(world, agreement):
    with pytest.raises(ValidationError) as error:
        place(world, agreement, 2)
    message = " ".join(error.value.message_dict["people"])
    assert "2" in message and "3" in message
    assert not Placement.objects.filter(agreement=agreement).exists()


def test_discharged_residents_free_their_places(world, agreement):
    Resident.objects.filter(agreement=agreement, name="甲").update(
        discharged_at=timezone.now(), discharge_kind="returned_home"
    )
    assert place(world, agreement, 2).people == 2


def test_the_agreements_row_is_locked_while_the_places_are_counted(world, agreement, monkeypatch):
    # SQLite has no FOR UPDATE: the lock asked for is what the test sees.
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    place(world, agreement, 1)
    assert CustodyAgreement in locked


def test_the_refusal_reads_in_chinese_once_translated(world, agreement, settings):
    with pytest.raises(ValidationError) as error:
        place(world, agreement, 5)
    message = " ".join(error.value.message_dict["people"])
    # The people placed, the residents on record and the places agreed.
    assert "约定托养名额" in message
    assert {"5", "2", "3"} <= set(re.findall(r"\d+", message))
