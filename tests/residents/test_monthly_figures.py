"""The monthly report computed from the resident records: the figures by category, the new
report pre-filled from them, and a reported figure that differs flagged until explained."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from inspections import hooks
from inspections.selectors.reports import is_flagged, report_checks
from residents.models import Resident
from tests.incidents.factories import reporter_for
from tests.inspections.factories import AgreementFactory, InstitutionFactory, make_eligible
from tests.inspections.report_helpers import balanced, file_report, line
from tests.residents.factories import admit
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = datetime.date(2026, 3, 1)


def at(day: int, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI)


def discharge(resident: Resident, when: datetime.datetime, kind: str) -> None:
    # The discharge service is R1's (tested in test_pages); only the record matters here.
    Resident.objects.filter(pk=resident.pk).update(discharged_at=when, discharge_kind=kind)


@pytest.fixture
def home(world, time_machine):
    """Institution C (county A) with residents on record in March 2026: 甲 from February, 乙
    admitted on 5 March, 丙 died on 10 March, 丁 went missing on 12 March, 戊 returned home on
    20 March, 己 (disabled) admitted in November 2025, a long stay by the end of March."""
    time_machine.move_to(at(31), tick=False)
    institution = make_eligible(InstitutionFactory(name="东湖区安康养护院", county=world.county_a))
    agreement = AgreementFactory(station=world.station, institution=institution)
    admit(agreement, admitted_at=at(20, 2), name="甲")
    admit(agreement, admitted_at=at(5), name="乙")
    discharge(admit(agreement, admitted_at=at(1, 1), name="丙"), at(10), "died")
    discharge(admit(agreement, admitted_at=at(3, 2), name="丁"), at(12), "missing")
    discharge(admit(agreement, admitted_at=at(4, 2), name="戊"), at(20), "returned_home")
    admit(
        agreement,
        admitted_at=datetime.datetime(2025, 11, 20, 9, tzinfo=SHANGHAI),
        name="己",
        category="disabled",
    )
    return institution


def recorded(home) -> dict:
    return {"elderly": line(4, 1, 1, died=1, missing=1), "disabled": line(1, long_stay=1)}


def test_the_records_give_each_categorys_figures_for_the_month(home):
    figures = hooks.resident_figures([home.pk], [MARCH])[(home.pk, MARCH)]
    assert figures["elderly"] == {
        "start": 4,
        "admitted": 1,
        "discharged": 1,
        "died": 1,
        "missing": 1,
        "end": 2,
        "long_stay": 0,
    }
    assert figures["disabled"]["end"] == 1 and figures["disabled"]["long_stay"] == 1
    assert figures["minors"]["end"] == 0


def test_an_institution_without_residents_on_record_by_the_months_end_gets_no_figures(home, world):
    # Institution C's first resident came in November 2025: October is before the records.
    october = datetime.date(2025, 10, 1)
    assert hooks.resident_figures([home.pk, world.institution_b.pk], [october]) == {}


def test_the_new_report_is_filled_in_from_the_records(home):
    client = sign_in(Client(), reporter_for(home))
    response = client.get(reverse("inspections:report_create"), {"month": "2026-03"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["elderly__start"] == 4
    assert form.initial["elderly__died"] == 1 and form.initial["elderly__missing"] == 1
    assert form.initial["elderly__end"] == 2
    assert form.initial["elderly__admitted"] == 1 and form.initial["disabled__long_stay"] == 1


def test_figures_that_match_the_records_raise_no_record_check(home):
    report = file_report(home, reporter_for(home), MARCH, balanced(**recorded(home)))
    codes = [check.code for check in report_checks([report])[report.pk]]
    assert "resident_records" not in codes


def test_a_figure_that_differs_from_the_records_is_flagged_until_explained(home):
    lines = recorded(home) | {"elderly": line(4, 2, 1, died=1, missing=1)}
    report = file_report(home, reporter_for(home), MARCH, balanced(**lines))
    checks = report_checks([report])[report.pk]
    records = [check for check in checks if check.code == "resident_records"]
    assert len(records) == 1 and records[0].level == "mismatch"
    assert "老年人" in records[0].message and "2" in records[0].message
    assert is_flagged(report, checks)
    explained = file_report(
        home,
        reporter_for(home),
        datetime.date(2026, 2, 1),
        balanced(elderly=line(1, 4)),
        explanation="二月记录补录中",
    )
    assert not is_flagged(explained, report_checks([explained])[explained.pk])


def test_residents_in_hospital_are_out_of_the_end_figure_where_the_area_says_so(home, settings):
    # Two of the elderly in care on record spent the month-end in hospital.
    lines = recorded(home) | {"elderly": line(4, 1, 1, hospital=2, died=1, missing=1)}
    report = file_report(home, reporter_for(home), MARCH, balanced(**lines))
    assert "resident_records" not in [c.code for c in report_checks([report])[report.pk]]
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"monthly_report_hospital_counts_as_out": False})
    assert "resident_records" in [c.code for c in report_checks([report])[report.pk]]
