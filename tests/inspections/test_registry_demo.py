"""The demo registry (issue 3): eligible and ineligible institutions with realistic Chinese
names, each failing for a reason the checklist names."""

import datetime

import pytest
from django.utils import timezone

from audit_portal.accounts.models import User
from inspections.models import Institution
from inspections.selectors import documents_expiring

pytestmark = pytest.mark.django_db


def test_the_demo_has_eligible_and_ineligible_institutions_and_an_expiring_licence(demo):
    today = timezone.localdate()
    eligibility = {i.name: i.eligibility(today) for i in Institution.objects.all()}
    eligible = {name for name, result in eligibility.items() if result.eligible}
    ineligible = {name: result for name, result in eligibility.items() if not result.eligible}
    assert "东湖区社会福利院" in eligible
    assert len(eligible) >= 2
    # One too new to have operated a year, one whose fire-protection document was rejected.
    too_new = ineligible["西山县安心托养中心"]
    assert [check.key for check in too_new.failing] == ["operation"]
    rejected = ineligible["东湖区康乐老年公寓"]
    assert "fire_safety" in [check.key for check in rejected.failing]
    assert any("印章" in check.detail for check in rejected.failing)
    city = User.objects.get(username="city")
    soon = documents_expiring(city, today, 30)
    assert soon.exists()
    assert all(d.valid_until <= today + datetime.timedelta(days=30) for d in soon)
