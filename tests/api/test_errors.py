"""Errors: JSON of one shape (``code``, ``message``, ``fields``), in the language the client
asks for (Accept-Language), Chinese otherwise."""

from django.urls import reverse

from inspections.models import ResidentCategory
from inspections.models.reports import FIGURES

REPORTS = reverse("api:monthly-report-list")


def test_an_anonymous_caller_is_told_to_authenticate(world, api):
    response = api().get(reverse("api:issue-list"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"


def test_messages_follow_accept_language(world, api):
    english = api(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get(reverse("api:issue-list"))
    chinese = api().get(reverse("api:issue-list"))
    assert english["Content-Language"] == "en"
    assert english.json()["message"] == "Authentication credentials were not provided."
    assert chinese["Content-Language"] == "zh-hans"
    assert chinese.json()["message"] != english.json()["message"]


def test_a_service_refusal_reads_in_the_clients_language(world, api):
    zero = dict.fromkeys(FIGURES, 0)
    body = {
        "month": "2999-01",
        "staff_on_duty": 1,
        "lines": dict.fromkeys(ResidentCategory.values, zero),
    }
    english = api("institution_user", HTTP_ACCEPT_LANGUAGE="en").post(REPORTS, body, format="json")
    assert english.status_code == 400
    assert english.json()["fields"] == {"month": ["A month that has not begun cannot be reported."]}
    chinese = api("institution_user").post(REPORTS, body, format="json")
    assert chinese.json()["fields"]["month"] != english.json()["fields"]["month"]


def test_field_errors_are_listed_per_field(world, api):
    response = api("institution_user").post(REPORTS, {"staff_on_duty": "x"}, format="json")
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert {"month", "staff_on_duty", "lines"} <= set(body["fields"])
    assert all(isinstance(messages, list) for messages in body["fields"].values())


def test_a_wrong_method_is_a_json_405(world, api):
    response = api("city_staff").delete(
        reverse("api:institution-detail", args=[world.institution_a.pk])
    )
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_malformed_json_is_a_parse_error(world, api):
    response = api("institution_user").post(
        REPORTS, data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
