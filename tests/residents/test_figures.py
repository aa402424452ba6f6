"""The month's figures computed from the records, by institution and category."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from residents import selectors
from residents.models import Resident
from tests.inspections.factories import AgreementFactory
from tests.residents.factories import admit

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI)


def test_a_months_figures_count_starts_admissions_discharges_and_ends(world, time_machine):
    agreement = AgreementFactory(station=world.station, institution=world.institution_b)
    time_machine.move_to(at(31), tick=False)
    before = admit(agreement, admitted_at=at(20, 2), name="甲")
    admit(agreement, admitted_at=at(5), name="乙")
    died = admit(agreement, admitted_at=at(1, 1), name="丙")
    # Died on 10 March (the discharge service is tested in test_pages).
    Resident.objects.filter(pk=died.pk).update(
        discharged_at=at(10), discharge_kind=Resident.Discharge.DIED
    )
    figures = selectors.monthly_figures([world.institution_b.pk], datetime.date(2026, 3, 1))
    row = figures[(world.institution_b.pk, "elderly")]
    assert row["start"] == 2 and row["admitted"] == 1
    assert row["discharged"] == 1 and row["discharged_died"] == 1
    assert row["end"] == 2
    # 丙 was admitted on 1 January: long from 2 April ("over" 3 months), so not in March.
    assert row["long_stay"] == 0
    assert before.long_stay_on == datetime.date(2026, 5, 21)
