"""The staff home's supervisor panel: how many terms end within the warning period (all of
them, though only the first ten are listed)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.supervisors.factories import SupervisorFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_the_panel_counts_every_term_ending_soon_and_lists_ten(world, client_for):
    today = timezone.localdate()
    for n in range(12):
        TermFactory(
            supervisor=SupervisorFactory(),
            starts_on=today - datetime.timedelta(days=1800),
            last_day=today + datetime.timedelta(days=n + 1),
        )
    response = client_for("city_staff").get(reverse("home"))
    page = response.content.decode()
    assert "12个任期将在90天内届满" in page
    panel = next(p for p in response.context["panels"] if "terms" in (p.get("context") or {}))
    assert len(panel["context"]["terms"]) == 10
