"""The client's address behind the deployment's reverse proxies.

``TRUSTED_PROXY_COUNT`` says how many proxies we run in front of the site (0: none, the client
connects directly). Each proxy appends the address it received the request from to
``X-Forwarded-For``, so with N proxies the client is the N-th address from the right; anything
further left was written by the client and may be invented. The same function serves django-axes
(``AXES_CLIENT_IP_CALLABLE``), the public rate limits and the security log.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The client's IP address, or ``""`` when the request carries none."""
    remote = request.META.get("REMOTE_ADDR") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # The request did not pass through every proxy we expect (or one dropped the header):
        # the peer is the closest we know.
        return remote
    candidate = forwarded[-count]
    return candidate if _valid(candidate) else remote
