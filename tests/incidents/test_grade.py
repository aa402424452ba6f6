from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.grading import Grade, grade_for

G, L, M, E = Grade.GENERAL, Grade.LARGER, Grade.MAJOR, Grade.ESPECIALLY_MAJOR


@pytest.mark.parametrize(
    ("deaths", "grade"), [(0, G), (2, G), (3, L), (9, L), (10, M), (29, M), (30, E), (31, E)]
)
def test_deaths_reach_the_grade_of_the_table(deaths, grade):
    assert grade_for(deaths=deaths, serious_injuries=0, direct_loss=0) == grade


@pytest.mark.parametrize(
    ("injuries", "grade"),
    [(0, G), (9, G), (10, L), (49, L), (50, M), (99, M), (100, E), (250, E)],
)
def test_serious_injuries_reach_the_grade_of_the_table(injuries, grade):
    assert grade_for(deaths=0, serious_injuries=injuries, direct_loss=0) == grade


@pytest.mark.parametrize(
    ("loss", "grade"),
    [
        ("0", G),
        ("9999999.99", G),
        ("10000000", L),
        ("49999999.99", L),
        ("50000000", M),
        ("99999999.99", M),
        ("100000000", E),
    ],
)
def test_direct_loss_reaches_the_grade_of_the_table(loss, grade):
    assert grade_for(deaths=0, serious_injuries=0, direct_loss=Decimal(loss)) == grade


def test_the_highest_grade_any_figure_reaches_wins():
    assert grade_for(deaths=3, serious_injuries=50, direct_loss=Decimal(0)) == M
    assert grade_for(deaths=0, serious_injuries=9, direct_loss=Decimal(100_000_000)) == E


def test_the_bounds_come_from_the_rules(settings):
    settings.AUDIT_RULES_OVERRIDES = {"incident_grade_deaths": [1, 2, 3]}
    assert grade_for(deaths=1, serious_injuries=0, direct_loss=0) == L


@given(st.integers(0, 200), st.integers(0, 300), st.integers(0, 200_000_000), st.integers(0, 50))
def test_more_casualties_never_lower_the_grade(deaths, injuries, loss, more):
    before = grade_for(deaths=deaths, serious_injuries=injuries, direct_loss=loss)
    after = grade_for(deaths=deaths + more, serious_injuries=injuries + more, direct_loss=loss)
    assert after >= before
