import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from audit_portal.rules import rules


def test_defaults_come_from_the_policy_texts():
    assert rules().incident_initial_report_minutes == 60
    assert rules().supervisor_term_years == 5
    assert rules().supervisor_max_consecutive_terms == 2
    assert rules().supervisor_max_age_at_invitation == 60
    assert (rules().open_day_month, rules().open_day_day) == (6, 19)


def test_an_area_can_override_a_number(settings):
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"supervisor_term_years": 3})
    assert rules().supervisor_term_years == 3
    assert rules().supervisor_group_min == 3


def test_an_unknown_rule_is_a_configuration_error(settings):
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"no_such_rule": 1})
    with pytest.raises(ImproperlyConfigured):
        rules()
