"""The staff list of institutions: filters by county, status and expiring documents, and pages
of 25 that keep the filters."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import DocumentKind, Institution, QualificationDocument
from tests.inspections.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
URL = "inspections:institution_list"


def names(response) -> set[str]:
    return {institution.name for institution in response.context["page"]}


def test_the_list_filters_by_county(world, client_for):
    response = client_for("city_staff").get(reverse(URL), {"county": world.county_b.pk})
    assert names(response) == {"西山县颐养院"}


def test_a_county_outside_ones_scope_is_not_a_filter_choice(world, client_for):
    response = client_for("county_a_staff").get(reverse(URL), {"county": world.county_b.pk})
    assert "county" in response.context["form"].errors
    assert names(response) == {"东湖区社会福利院"}


def test_the_list_filters_by_status(world, client_for):
    InstitutionFactory(
        name="东湖区暂停托养中心", county=world.county_a, status=Institution.Status.SUSPENDED
    )
    client = client_for("city_staff")
    assert names(client.get(reverse(URL), {"status": "suspended"})) == {"东湖区暂停托养中心"}
    approved = names(client.get(reverse(URL), {"status": "approved"}))
    assert approved == {"东湖区社会福利院", "西山县颐养院"}


def test_the_list_filters_institutions_with_documents_expiring_soon(world, client_for):
    today = timezone.localdate()
    QualificationDocument.objects.filter(
        institution=world.institution_b, kind=DocumentKind.FOOD_LICENCE
    ).update(valid_until=today + datetime.timedelta(days=45))
    response = client_for("city_staff").get(reverse(URL), {"expiring": "on"})
    assert names(response) == {"西山县颐养院"}


def test_the_expiring_filter_looks_as_far_ahead_as_the_longest_expiry_warning(
    world, client_for, settings
):
    today = timezone.localdate()
    QualificationDocument.objects.filter(
        institution=world.institution_b, kind=DocumentKind.FOOD_LICENCE
    ).update(valid_until=today + datetime.timedelta(days=75))
    client = client_for("city_staff")
    response = client.get(reverse(URL), {"expiring": "on"})
    assert names(response) == set()
    assert "60 天内有证照到期" in response.content.decode()
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"expiry_warning_days": [90, 30]})
    response = client.get(reverse(URL), {"expiring": "on"})
    assert names(response) == {"西山县颐养院"}
    assert "90 天内有证照到期" in response.content.decode()


def test_the_list_is_paginated_and_the_pages_keep_the_filters(world, client_for):
    for n in range(30):
        InstitutionFactory(name=f"东湖区托养点{n:02d}", county=world.county_a)
    client = client_for("county_a_staff")
    first = client.get(reverse(URL), {"q": "托养点"})
    assert len(first.context["page"]) == 25
    assert first.context["page"].paginator.count == 30
    assert "q=%E6%89%98%E5%85%BB%E7%82%B9" in first.context["query"]
    second = client.get(reverse(URL), {"q": "托养点", "page": 2})
    assert len(second.context["page"]) == 5
    assert "东湖区社会福利院" not in names(second)
