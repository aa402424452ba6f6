"""The shared view glue (``audit_portal/core/web.py``) and the pagination every list uses."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from audit_portal.accounts.models import Organisation
from audit_portal.core import web
from incidents.filters import IncidentFilter
from incidents.models import Incident
from openday import services as openday_services


@pytest.fixture
def one_per_page(monkeypatch):
    monkeypatch.setattr(web, "PAGE_SIZE", 1)


def test_a_service_refusal_goes_under_its_field_or_on_top_of_the_form():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField()

    form = Form({"name": "x"})
    assert form.is_valid()
    web.apply_errors(form, ValidationError({"name": "taken", "other": "refused"}))
    assert form.errors == {"name": ["taken"], "__all__": ["refused"]}
    web.apply_errors(form, ValidationError("closed"))
    assert "closed" in form.non_field_errors()


def test_a_refused_step_becomes_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    web.errors_to_messages(request, ValidationError(["one", "two"]))
    assert [str(m) for m in get_messages(request)] == ["one", "two"]


def test_a_missing_permission_is_a_403(world):
    web.require_perm(world.users["city_staff"], "openday.view_summary")
    with pytest.raises(PermissionDenied):
        web.require_perm(world.users["institution_user"], "openday.view_summary")


def test_a_list_page_keeps_the_filters_but_not_the_page_number(world, one_per_page):
    request = RequestFactory().get("/", {"kind": "fire", "page": "2"})
    context = web.list_page(request, Incident.objects.order_by("pk"), IncidentFilter)
    assert context["query"] == "kind=fire"
    assert isinstance(context["filter"], IncidentFilter)
    assert context["form"] is context["filter"].form


def test_a_page_past_the_end_shows_the_last_page(db, one_per_page):
    for code in ("a", "b"):
        Organisation.objects.create(name=code, code=code, kind=Organisation.Kind.CITY)
    request = RequestFactory().get("/", {"page": "9"})
    page = web.list_page(request, Organisation.objects.order_by("code"))["page"]
    assert page.number == 2 and [o.code for o in page] == ["b"]


def test_the_alert_list_links_to_its_next_page(world, client_for, one_per_page):
    from tests.incidents.factories import file_incident

    file_incident(world.institution_a)
    html = client_for("county_a_staff").get(reverse("incidents:alert_list")).content.decode()
    assert "page=2" in html


def test_the_public_complaint_list_links_to_its_next_page_and_keeps_the_status(
    world, client_for, one_per_page
):
    for text in ("探视时间太短", "饭菜偏咸"):
        openday_services.complaint_submit(
            institution=world.institution_a, kind="complaint", text=text, name="", phone=""
        )
    response = client_for("county_a_staff").get(
        reverse("openday:complaint_list"), {"status": "received"}
    )
    html = response.content.decode()
    assert "status=received&amp;page=2" in html


def test_a_one_click_step_answers_with_its_success_or_its_refusal():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    assert web.step(request, lambda: None, "已完成")

    def refuse():
        raise ValidationError("已处理")

    assert not web.step(request, refuse, "不应出现")
    assert [str(m) for m in get_messages(request)] == ["已完成", "已处理"]
