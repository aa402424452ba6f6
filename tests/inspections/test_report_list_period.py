"""The monthly report list's month inputs show the months its heading names, also by default."""

import pytest
from django.urls import reverse

from inspections.dates import add_months

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:report_list")


def test_the_default_period_is_filled_in_the_month_inputs(world, client_for):
    response = client_for("city_staff").get(LIST)
    first, last = response.context["first"], response.context["last"]
    html = response.content.decode()
    assert f'name="first" value="{first:%Y-%m}"' in html
    assert f'name="last" value="{last:%Y-%m}"' in html


def test_a_period_given_stays_and_the_missing_end_is_shown(world, client_for):
    month = add_months(world.monthly_report_a.month, -1)
    response = client_for("city_staff").get(LIST, {"first": f"{month:%Y-%m}"})
    html = response.content.decode()
    assert f'name="first" value="{month:%Y-%m}"' in html
    assert f'name="last" value="{response.context["last"]:%Y-%m}"' in html
    # The export keeps the filters the user gave.
    assert response.context["query"] == f"first={month:%Y-%m}"
