import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Kind
from incidents.selectors import incident_rates, quarter_bounds
from tests.incidents.factories import figures, file_incident, reporter_for
from tests.inspections.factories import AgreementFactory, InstitutionFactory
from tests.inspections.report_helpers import balanced, due_months, file_report, line

pytestmark = pytest.mark.django_db


def this_quarter():
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def rows(world, persona="city_staff"):
    return {row.name: row for row in incident_rates(world.users[persona], *this_quarter())}


def test_rates_are_per_100_residents_of_active_agreements(world):
    AgreementFactory(institution=world.institution_a, agreed_places=20, status="ended")
    row = rows(world)[world.institution_a.name]
    assert row.residents == 30
    assert row.incident_count == 1
    assert row.incident_rate == pytest.approx(3.333, abs=0.001)
    assert not row.flagged


def test_an_institution_at_the_threshold_is_flagged(world):
    file_incident(world.institution_a, kind=Kind.DEATH, figures=figures(deaths=1))
    row = rows(world)[world.institution_a.name]
    assert (row.incident_count, row.death_count) == (2, 1)
    assert row.incident_rate == pytest.approx(6.667, abs=0.001)
    assert row.flagged


def test_the_threshold_comes_from_the_rules(world, settings):
    settings.AUDIT_RULES_OVERRIDES = {"incident_rate_threshold_per_100": 3.0}
    assert rows(world)[world.institution_a.name].flagged


def test_an_institution_without_residents_has_no_rate(world):
    row = rows(world)[world.institution_b.name]
    assert row.residents == 0
    assert row.incident_rate is None
    assert not row.flagged


def test_rates_cover_only_institutions_in_scope(world):
    assert set(rows(world, "county_a_staff")) == {world.institution_a.name}


def test_quarter_bounds_are_half_open_local_quarters():
    start, end = quarter_bounds(2026, 4)
    assert (start.year, start.month, start.day) == (2026, 10, 1)
    assert (end.year, end.month, end.day) == (2027, 1, 1)


def test_the_rates_page_lists_the_flagged_institution(world, client_for):
    file_incident(world.institution_a, kind=Kind.DEATH, figures=figures(deaths=1))
    page = client_for("city_staff").get(reverse("incidents:rates")).content.decode()
    assert "超过阈值" in page


def test_residents_come_from_agreed_places_until_a_monthly_report_is_filed(world):
    newcomer = InstitutionFactory(county=world.county_a)
    AgreementFactory(institution=newcomer, station=world.station, agreed_places=40)
    file_incident(newcomer)
    row = rows(world)[newcomer.name]
    assert (row.residents, row.incident_count) == (40, 1)
    assert row.incident_rate == pytest.approx(2.5)
    month = due_months(timezone.localdate(), 1)[0]
    file_report(newcomer, reporter_for(newcomer), month, balanced(elderly=line(10, admitted=2)))
    row = rows(world)[newcomer.name]
    assert row.residents == 12
    assert row.incident_rate == pytest.approx(8.333, abs=0.001)
    assert row.flagged
