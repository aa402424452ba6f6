"""The questions the inspections registry asks of the apps above it (``inspections/hooks.py``)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from incidents import selectors as incident_selectors
from inspections import hooks
from residents import figures as resident_figures
from residents import selectors as resident_selectors
from residents import visits as resident_visits
from supervisors import selectors as supervisor_selectors

QUESTIONS = [value for value in vars(hooks).values() if isinstance(value, hooks.Question)]


def test_every_question_is_answered_once_the_apps_have_loaded():
    assert len(QUESTIONS) == 12
    assert all(question._answer is not None for question in QUESTIONS), QUESTIONS


def test_each_question_is_answered_by_the_app_that_knows():
    assert hooks.supervised_institutions._answer is supervisor_selectors.supervised_institutions
    assert hooks.assigned_supervisor_users._answer is supervisor_selectors.assigned_supervisor_users
    assert hooks.group_supervisor_users._answer is supervisor_selectors.group_supervisor_users
    assert hooks.supervisors_working_at._answer is supervisor_selectors.supervisors_working_at
    assert hooks.supervisors_not_on_team._answer is supervisor_selectors.supervisors_not_on_team
    assert hooks.incident_figures._answer is incident_selectors.incident_figures
    assert hooks.with_incident_rates._answer is incident_selectors.with_incident_rates
    assert hooks.resident_figures._answer is resident_figures.resident_figures
    assert hooks.residents_in_care._answer is resident_selectors.in_care_count
    assert hooks.inspection_links._answer is resident_visits.inspection_links


def test_an_unanswered_question_says_so():
    question = hooks.Question("residents_on_record", "() → nobody answers this one.")
    with pytest.raises(ImproperlyConfigured, match="residents_on_record"):
        question()
