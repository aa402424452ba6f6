"""The resident pages read a fixed number of queries, however many residents are listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.residents.factories import admit

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["residents:resident_list", "residents:return_ledger"])
def test_a_list_costs_the_same_with_more_residents(world, client_for, name):
    client = client_for("city_staff")
    url = reverse(name)
    queries(client, url)  # warm the per-process caches (content types, permissions)
    before = queries(client, url)
    for number in range(5):
        admit(world.agreement_a, name=f"无名氏{number}")
    assert queries(client, url) == before


def test_the_detail_page_costs_the_same_with_more_steps(world, client_for):
    from django.utils import timezone

    from residents import services

    client = client_for("station_staff")
    url = reverse("residents:resident_detail", args=[world.resident_a.pk])
    queries(client, url)
    before = queries(client, url)
    for kind in ("police", "dna", "fingerprint", "face"):
        services.identity_step_record(
            resident=world.resident_a,
            kind=kind,
            started_at=timezone.now(),
            actor=world.users["station_staff"],
        )
    assert queries(client, url) == before
