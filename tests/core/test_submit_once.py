"""Every create is safe to submit twice: the one-time form token (audit_portal/core/once.py),
the API's Idempotency-Key, and a natural key checked under lock (the monthly report)."""

import datetime
import re
import threading

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit_portal.core.models import Submission
from incidents.models import Incident
from inspections.models import MonthlyReport, ResidentCategory
from inspections.models.reports import FIGURES
from tests.incidents.factories import INITIAL, initial_post
from tests.world import build_world

CREATE_INCIDENT = reverse("incidents:incident_create")
CREATE_REPORT = reverse("inspections:report_create")
TOKEN = re.compile(r'name="once_token" value="([^"]+)"')


def page_token(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


def incident_form(**extra) -> dict:
    return initial_post(timezone.now(), 20, **extra)


@pytest.mark.django_db
def test_a_form_page_carries_a_one_time_token(world, client_for):
    client = client_for("institution_user")
    assert page_token(client, CREATE_INCIDENT) != page_token(client, CREATE_INCIDENT)


@pytest.mark.django_db
def test_the_same_incident_form_sent_twice_is_recorded_once(world, client_for):
    client = client_for("institution_user")
    data = incident_form(once_token=page_token(client, CREATE_INCIDENT))
    before = Incident.objects.count()
    first = client.post(CREATE_INCIDENT, data)
    second = client.post(CREATE_INCIDENT, data)
    assert Incident.objects.count() == before + 1
    assert first.status_code == second.status_code == 302
    # The copy leads where the first went, and says why nothing new was made.
    assert second["Location"] == first["Location"]
    shown = [str(m) for m in get_messages(second.wsgi_request)]
    assert any("已" in m and "提交" in m for m in shown), shown


@pytest.mark.django_db
def test_a_form_refused_gives_its_token_back_for_the_corrected_form(world, client_for):
    client = client_for("institution_user")
    token = page_token(client, CREATE_INCIDENT)
    before = Incident.objects.count()
    refused = client.post(CREATE_INCIDENT, incident_form(account="", once_token=token))
    assert refused.status_code == 200
    assert not Submission.objects.exists()
    corrected = client.post(CREATE_INCIDENT, incident_form(once_token=token))
    assert corrected.status_code == 302
    assert Incident.objects.count() == before + 1


@pytest.mark.django_db
def test_two_forms_from_two_page_loads_are_two_submissions(world, client_for):
    client = client_for("institution_user")
    before = Incident.objects.count()
    for _ in range(2):
        client.post(CREATE_INCIDENT, incident_form(once_token=page_token(client, CREATE_INCIDENT)))
    assert Incident.objects.count() == before + 2


@pytest.mark.django_db
def test_a_malformed_token_is_ignored_not_trusted(world, client_for):
    client = client_for("institution_user")
    before = Incident.objects.count()
    client.post(CREATE_INCIDENT, incident_form(once_token="short"))
    assert Incident.objects.count() == before + 1
    assert not Submission.objects.exists()


def _api_body() -> dict:
    now = timezone.now()
    discovered = now - datetime.timedelta(minutes=20)
    body = {
        "kind": "injury",
        "occurred_at": (discovered - datetime.timedelta(minutes=5)).isoformat(),
        "discovered_at": discovered.isoformat(),
        **INITIAL,
        "deaths": 0,
        "serious_injuries": 1,
        "direct_loss": "0",
        "missing_count": 0,
    }
    return body


@pytest.mark.django_db
def test_an_api_create_repeated_with_its_idempotency_key_answers_409(world):
    client = APIClient(HTTP_IDEMPOTENCY_KEY="incident-2026-06-01-0001")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.api_token_institution_raw}")
    before = Incident.objects.count()
    first = client.post(reverse("api:incident-list"), _api_body(), format="json")
    second = client.post(reverse("api:incident-list"), _api_body(), format="json")
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["code"] == "duplicate_submission"
    assert second.json()["message"]
    assert Incident.objects.count() == before + 1


def test_sqlite_writers_queue_for_the_lock_instead_of_failing():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


# Two identical requests at the same moment, each in its own thread and database connection:
# a real race, which only a server database can run (SQLite's test database lives in memory).
def _at_once(*requests) -> list:
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def run(index, send):
        try:
            barrier.wait()
            answers[index] = send()
        except Exception as error:
            answers[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, send)) for i, send in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_two_identical_incident_posts_at_once_leave_one_incident_and_no_error():
    if connection.vendor != "postgresql":
        pytest.skip("a concurrent race needs a server database")
    world = build_world()
    user = world.users["institution_user"]
    token = page_token(_logged_in(user), CREATE_INCIDENT)
    data = incident_form(once_token=token)
    clients = [_logged_in(user), _logged_in(user)]
    before = Incident.objects.count()
    answers = _at_once(*(lambda c=c: c.post(CREATE_INCIDENT, data) for c in clients))
    assert [getattr(a, "status_code", a) for a in answers] == [302, 302]
    assert Incident.objects.count() == before + 1


def _report_form() -> dict:
    data = {"staff_on_duty": 9, "notes": "本月无异常"}
    for category in ResidentCategory:
        for name in FIGURES:
            data[f"{category}__{name}"] = 0
    return data


@pytest.mark.django_db(transaction=True)
def test_two_first_drafts_of_one_month_at_once_make_one_report_and_no_error():
    if connection.vendor != "postgresql":
        pytest.skip("a concurrent race needs a server database")
    world = build_world()
    user = world.users["institution_user"]
    reported = set(
        MonthlyReport.objects.filter(institution=world.institution_a).values_list(
            "month", flat=True
        )
    )
    month = timezone.localdate().replace(day=1)
    while month in reported:
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    url = f"{CREATE_REPORT}?month={month:%Y-%m}"
    # Two tabs: two page loads, two tokens; the natural key (institution, month) holds.
    clients = [_logged_in(user), _logged_in(user)]
    forms = [dict(_report_form(), once_token=page_token(c, url)) for c in clients]
    answers = _at_once(
        *(lambda c=c, f=f: c.post(url, f) for c, f in zip(clients, forms, strict=True))
    )
    statuses = [getattr(a, "status_code", a) for a in answers]
    assert all(status in (200, 302) for status in statuses), statuses
    assert MonthlyReport.objects.filter(institution=world.institution_a, month=month).count() == 1


@pytest.mark.django_db
def test_claimed_tokens_are_purged_after_a_day():
    from io import StringIO

    from django.core.management import call_command

    old = Submission.objects.create(key="a" * 64)
    Submission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = Submission.objects.create(key="b" * 64)
    call_command("purge_files", stdout=StringIO())
    assert list(Submission.objects.values_list("pk", flat=True)) == [fresh.pk]
