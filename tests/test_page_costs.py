"""What a page costs does not grow with the data: each page the city-scale benchmark drives
(scripts/bench.sh) takes the same number of queries, at most 15, over two data sets generated
by ``seed_scale``, one three times the other. (Timings are the benchmark's: not asserted here.)
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit_portal.accounts.models import User
from incidents.selectors import incidents_for
from inspections.selectors import institutions_for
from inspections.selectors.inspections import issues_for

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def pages(city: User) -> dict[str, tuple[str, str]]:
    """name → (account, path), the objects picked by the same rule at every size."""
    issue = issues_for(city).order_by("pk").first()
    institution = institutions_for(city).order_by("pk").first()
    incident = incidents_for(city).order_by("pk").first()
    return {
        "floor (password page)": ("city", reverse("accounts:password_change")),
        "staff home": ("city", reverse("home")),
        "risk dashboard": ("city", reverse("inspections:dashboard")),
        "issue ledger": ("city", reverse("inspections:issue_ledger")),
        "issue detail": ("city", reverse("inspections:issue_detail", args=[issue.pk])),
        "institution detail": (
            "city",
            reverse("inspections:institution_detail", args=[institution.pk]),
        ),
        "inspection list": ("city", reverse("inspections:inspection_list")),
        "incident list": ("city", reverse("incidents:incident_list")),
        "incident detail": ("city", reverse("incidents:incident_detail", args=[incident.pk])),
        "monthly report list": ("city", reverse("inspections:report_list")),
        "supervisor home": ("supervisor", reverse("home")),
    }


class _Discard(Exception):
    pass


def queries_per_page(institutions: int) -> dict[str, int]:
    """Seed ``institutions`` into an empty database, count each page's queries (after a first
    request, which saves the session and counts the new records' figures), then discard it."""
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            call_command(
                "seed_scale",
                institutions=institutions,
                years=1,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            cache.clear()
            clients: dict[str, Client] = {}
            for name, (username, path) in pages(User.objects.get(username="city")).items():
                if username not in clients:
                    clients[username] = Client()
                    clients[username].force_login(User.objects.get(username=username))
                client = clients[username]
                assert client.get(path).status_code == 200, name
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(path).status_code == 200, name
                counts[name] = len(captured)
            raise _Discard
    except _Discard:
        pass
    return counts


def test_every_listed_page_takes_the_same_queries_at_two_data_sizes():
    small = queries_per_page(3)
    large = queries_per_page(9)
    assert large == small
    assert {name: n for name, n in large.items() if n > MAX_QUERIES} == {}
