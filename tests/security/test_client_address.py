"""The client's address behind the trusted proxies (TRUSTED_PROXY_COUNT), read the same way by
the security log, django-axes, the API's anonymous limit and the open-day forms' limits."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
from django.urls import reverse

from audit_portal.api.throttles import AnonymousRateThrottle
from audit_portal.security.addresses import client_address
from openday import ratelimit

PROXY = "10.0.0.5"


def request_from(forwarded: str | None = None, remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_proxies_the_peer_is_the_client_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("203.0.113.7")) == PROXY


def test_behind_one_proxy_the_client_is_the_last_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_client_is_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_a_spoofed_address_the_client_wrote_itself_is_not_believed(settings):
    # The client sent "X-Forwarded-For: 1.2.3.4"; our one proxy appended the real address.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("1.2.3.4, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("203.0.113.7")) == PROXY
    assert client_address(request_from(None)) == PROXY


def test_a_forwarded_value_that_is_no_address_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("unknown")) == PROXY


def test_axes_reads_the_address_through_the_same_function(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request_from("1.2.3.4, 203.0.113.7")) == "203.0.113.7"


def test_the_api_anonymous_limit_counts_per_client_not_per_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    throttle = AnonymousRateThrottle()

    def key(forwarded):
        request = request_from(forwarded)
        request.user = None
        return throttle.get_cache_key(request, None)

    assert key("203.0.113.7") != key("203.0.113.8")
    # A client rotating a spoofed header stays one client.
    assert key("1.1.1.1, 203.0.113.7") == key("2.2.2.2, 203.0.113.7")


def test_the_open_day_forms_limit_per_client_not_per_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_key(request_from("203.0.113.7")) != ratelimit.client_key(
        request_from("203.0.113.8")
    )
    assert ratelimit.client_key(request_from("1.1.1.1, 203.0.113.7")) == ratelimit.client_key(
        request_from("2.2.2.2, 203.0.113.7")
    )


@pytest.mark.django_db
def test_a_failed_sign_in_behind_the_proxy_is_kept_with_the_clients_address(settings, client):
    from axes.models import AccessAttempt

    from audit_portal.security.models import SecurityEvent

    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("accounts:login"),
        {"username": "nobody", "password": "Wrong#Pass1"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
    )
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert event.address == "203.0.113.7"
    assert AccessAttempt.objects.get(username="nobody").ip_address == "203.0.113.7"
