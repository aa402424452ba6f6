"""Rate limits (``rules().api_requests_per_minute``): per token, per session user otherwise,
per address for the public endpoints."""

from rest_framework.throttling import SimpleRateThrottle

from audit_portal.api.models import ApiToken
from audit_portal.rules import rules
from audit_portal.security.addresses import client_address


class PerMinuteThrottle(SimpleRateThrottle):
    def get_rate(self) -> str:
        return f"{self.requests_per_minute()}/min"

    def allow_request(self, request, view) -> bool:
        # Read the rate at each request: the rules may change (an override in a test).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def requests_per_minute(self) -> int:
        raise NotImplementedError


class TokenRateThrottle(PerMinuteThrottle):
    """Keyed on the token when one is used, on the user for a session."""

    scope = "token"

    def requests_per_minute(self) -> int:
        return rules().api_requests_per_minute

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(PerMinuteThrottle):
    """The public endpoints, per client address: the one behind our trusted proxies
    (``client_address``), not DRF's ``get_ident``, which takes a client-written
    ``X-Forwarded-For`` as it comes unless ``NUM_PROXIES`` is set."""

    scope = "anonymous"

    def requests_per_minute(self) -> int:
        return rules().api_anonymous_requests_per_minute

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
