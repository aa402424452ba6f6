"""Fixed-window rate limits for the public forms, kept in Django's cache.

The default cache is per process (LocMemCache), so with several workers the real ceiling is the
limit times the workers; a shared cache (Redis, Memcached) in ``CACHES`` makes it exact. The
limits that matter for fairness (places, registrations per phone) live in the database; these
only slow down floods and code guessing.
"""

import hashlib
import time

from django.core.cache import cache

from audit_portal.rules import rules
from audit_portal.security.addresses import client_address


def client_key(request) -> str:
    # The client's address behind our trusted proxies (TRUSTED_PROXY_COUNT), never a header
    # the client could write for itself.
    address = client_address(request)
    return hashlib.sha256(address.encode()).hexdigest()[:24]


def hit(request, action: str, limit: int) -> bool:
    """Count one attempt at ``action``; False once the address is over ``limit`` this window."""
    window = rules().openday_rate_window_seconds
    slot = int(time.time() // window)
    key = f"openday:rate:{action}:{client_key(request)}:{slot}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def submission_allowed(request, action: str) -> bool:
    return hit(request, action, rules().openday_form_submissions_per_window)


def lookup_allowed(request, action: str) -> bool:
    return hit(request, action, rules().openday_lookups_per_window)
