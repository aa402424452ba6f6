import datetime

import pytest
from django.urls import reverse

from inspections.models import DocumentKind, QualificationDocument
from inspections.selectors import documents_expiring
from tests.inspections.factories import DocumentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to("2026-11-23 09:00:00+08:00", tick=False)


def licence(world, until):
    QualificationDocument.objects.filter(
        institution=world.institution_a, kind=DocumentKind.FOOD_LICENCE
    ).update(valid_until=until)


@pytest.mark.parametrize(
    ("days_left", "in_30", "in_60"),
    [(0, True, True), (30, True, True), (31, False, True), (60, False, True), (61, False, False)],
)
def test_documents_fall_into_the_warning_periods(world, days_left, in_30, in_60):
    licence(world, TODAY + datetime.timedelta(days=days_left))
    user = world.users["county_a_staff"]
    assert documents_expiring(user, TODAY, 30).exists() is in_30
    assert documents_expiring(user, TODAY, 60).exists() is in_60


def test_an_expired_document_is_no_longer_expiring(world):
    licence(world, TODAY - datetime.timedelta(days=1))
    assert not documents_expiring(world.users["county_a_staff"], TODAY, 60).exists()


def test_a_verified_renewal_removes_the_warning(world):
    licence(world, TODAY + datetime.timedelta(days=10))
    old = world.institution_a.documents.get(kind=DocumentKind.FOOD_LICENCE)
    DocumentFactory(
        institution=world.institution_a,
        kind=DocumentKind.FOOD_LICENCE,
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=1800),
        replaces=old,
    )
    assert not documents_expiring(world.users["county_a_staff"], TODAY, 60).exists()


def test_warnings_are_scoped(world):
    licence(world, TODAY + datetime.timedelta(days=10))
    assert not documents_expiring(world.users["county_b_staff"], TODAY, 60).exists()


def test_the_staff_home_page_counts_them(world, client_for, frozen):
    licence(world, TODAY + datetime.timedelta(days=10))
    page = client_for("county_a_staff").get(reverse("home")).content.decode()
    assert "即将到期的资质证照" in page
    assert "东湖区社会福利院" in page


def test_the_expiring_list_shows_days_left(world, client_for, frozen):
    licence(world, TODAY + datetime.timedelta(days=10))
    page = client_for("city_staff").get(reverse("inspections:document_expiring"), {"within": 30})
    assert "东湖区社会福利院" in page.content.decode()
    assert ">10<" in page.content.decode()


def test_the_expiring_list_filters_by_county_and_its_pages_keep_the_filters(
    world, client_for, frozen
):
    # A new institution of county A, so no open-ended document of the kind covers these.
    institution = InstitutionFactory(county=world.county_a)
    for _n in range(51):
        DocumentFactory(
            institution=institution,
            kind=DocumentKind.FIXED_SITE,
            valid_until=TODAY + datetime.timedelta(days=10),
        )
    client = client_for("city_staff")
    url = reverse("inspections:document_expiring")
    elsewhere = client.get(url, {"within": 30, "county": world.county_b.pk})
    assert elsewhere.context["page"].paginator.count == 0
    response = client.get(url, {"within": 30, "county": world.county_a.pk})
    assert response.context["page"].paginator.count == 51
    assert f'href="?within=30&amp;county={world.county_a.pk}&amp;page=2"' in (
        response.content.decode()
    )
