"""The delivery log: administrators read every delivery, civil-affairs staff those to their
scope (organisations, their members, the accounts of the institutions they oversee), filtered
by status and channel and paginated; supervisors and institution users are refused (403)."""

import pytest
from django.urls import reverse

from audit_portal.accounts.models import Organisation, User
from audit_portal.notices.models import Delivery
from tests.factories import UserFactory
from tests.inspections.factories import AgreementFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

LOG = reverse("notices:deliveries")
Status, Channel = Delivery.Status, Delivery.Channel


def delivery(*, user=None, organisation=None, channel=Channel.MAIL, status=Status.SENT, **extra):
    return Delivery.objects.create(
        channel=channel,
        status=status,
        user=user,
        organisation=organisation,
        key=f"k:{Delivery.objects.count()}",
        target=user.email if user else "qyapi.weixin.qq.com",
        subject="Issue 12 raised",
        body="",
        **extra,
    )


@pytest.fixture
def institution_account(county):
    institution = InstitutionFactory(county=county)
    return UserFactory(
        username="home", role=User.Role.INSTITUTION, organisation=None, institution=institution
    )


@pytest.fixture
def log(alice, charlie, county, other_county, institution_account):
    return {
        "to_alice": delivery(user=alice),
        "to_county": delivery(organisation=county, channel=Channel.WEBHOOK),
        "to_institution": delivery(user=institution_account),
        "to_charlie": delivery(user=charlie, status=Status.FAILED, last_error="HTTP 500"),
        "to_other_county": delivery(organisation=other_county, channel=Channel.WEBHOOK),
    }


def shown(client) -> set[int]:
    response = client.get(LOG)
    assert response.status_code == 200
    return {d.pk for d in response.context["page"].object_list}


def test_the_administrator_reads_every_delivery(admin_user, log, client):
    client.force_login(admin_user)
    assert shown(client) == {d.pk for d in log.values()}


def test_county_staff_read_the_deliveries_of_their_county(bob, log, client):
    client.force_login(bob)
    assert shown(client) == {log[name].pk for name in ("to_alice", "to_county", "to_institution")}


def test_city_staff_read_the_deliveries_of_every_county(city, log, client):
    client.force_login(UserFactory(username="mayor", organisation=city))
    assert shown(client) == {d.pk for d in log.values()}


def test_the_log_shows_attempts_errors_and_times(admin_user, log, client):
    client.force_login(admin_user)
    page = client.get(LOG).content.decode()
    assert "HTTP 500" in page
    assert "Failed, given up" in page
    assert "charlie@example.gov.cn" in page


def test_the_log_is_filtered_by_status_and_channel(admin_user, log, client):
    client.force_login(admin_user)
    failed = client.get(LOG, {"status": "failed"}).context["page"].object_list
    assert [d.pk for d in failed] == [log["to_charlie"].pk]
    robots = client.get(LOG, {"channel": "webhook"}).context["page"].object_list
    assert {d.pk for d in robots} == {log["to_county"].pk, log["to_other_county"].pk}
    # A value that is not a choice is ignored; the other filter still applies.
    mixed = client.get(LOG, {"status": "lost", "channel": "webhook"}).context["page"]
    assert len(mixed.object_list) == 2


def test_the_log_is_paginated(admin_user, alice, client):
    for _n in range(26):
        delivery(user=alice)
    client.force_login(admin_user)
    page = client.get(LOG).context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (25, 2)


def test_supervisors_and_institution_users_are_refused(institution_account, client):
    supervisor = UserFactory(username="sup", role=User.Role.SUPERVISOR, organisation=None)
    for user in (supervisor, institution_account):
        client.force_login(user)
        assert client.get(LOG).status_code == 403


def test_the_log_is_read_only(admin_user, client):
    client.force_login(admin_user)
    assert client.post(LOG).status_code == 405


def test_station_staff_read_the_deliveries_of_the_institutions_they_placed_in(
    city, institution_account, log, client
):
    station = Organisation.objects.create(
        name="江海市救助管理站", code="n-station", kind=Organisation.Kind.STATION, parent=city
    )
    AgreementFactory(station=station, institution=institution_account.institution)
    client.force_login(UserFactory(username="station", organisation=station))
    assert shown(client) == {log["to_institution"].pk}
