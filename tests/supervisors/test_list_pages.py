"""The supervisor scheme's lists (roster, appointment pipeline, forwarded complaints): filtered
by ``supervisors/filters.py`` and paginated by ``audit_portal.core.web.list_page``; the page
links keep the filters."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit_portal.core import web
from supervisors import services
from supervisors.models import Complaint
from tests.supervisors.factories import SupervisorFactory

pytestmark = pytest.mark.django_db
ROSTER = "supervisors:supervisor_list"
PIPELINE = "supervisors:appointment_list"
COMPLAINTS = "supervisors:complaint_list"


@pytest.fixture
def one_per_page(monkeypatch):
    monkeypatch.setattr(web, "PAGE_SIZE", 1)


def names(response) -> list[str]:
    return [s.full_name for s in response.context["page"]]


def test_the_roster_filter_form_keeps_its_fields_and_chinese_labels(world, client_for):
    response = client_for("city_staff").get(reverse(ROSTER))
    assert list(response.context["form"].fields) == ["q", "active", "ending", "group"]
    html = response.content.decode()
    for label in ("姓名", "任期", "全部", "在任", "不在任", "监督小组"):
        assert label in html
    # The checkbox keeps its own sentence, with the warning window.
    assert 'type="checkbox" name="ending"' in html
    assert str(response.context["warning_days"]) in html


def test_the_roster_next_page_keeps_the_filters(world, client_for, one_per_page):
    client = client_for("city_staff")
    members = {m.supervisor.full_name for m in world.group.current_memberships()}
    params = {"active": "yes", "group": world.group.pk}
    query = f"active=yes&amp;group={world.group.pk}"
    first = client.get(reverse(ROSTER), params)
    assert first.context["page"].paginator.count == 3
    assert f'href="?{query}&amp;page=2"' in first.content.decode()
    second = client.get(reverse(ROSTER), {**params, "page": 2})
    html = second.content.decode()
    assert f'href="?{query}&amp;page=1"' in html and f'href="?{query}&amp;page=3"' in html
    third = client.get(reverse(ROSTER), {**params, "page": 3})
    assert {name for page in (first, second, third) for name in names(page)} == members


def test_a_roster_filter_that_does_not_validate_leaves_the_roster_unfiltered(world, client_for):
    client = client_for("city_staff")
    everyone = set(names(client.get(reverse(ROSTER))))
    assert len(everyone) > 1
    response = client.get(reverse(ROSTER), {"q": "志强", "active": "maybe"})
    assert "active" in response.context["form"].errors
    assert set(names(response)) == everyone


def test_the_pipeline_next_page_without_a_stage_stays_on_procedures_in_progress(
    world, client_for, one_per_page
):
    city = world.users["city_staff"]
    invited_on = world.appointment.invited_on
    second = services.appointment_nominate(
        supervisor=SupervisorFactory(), invited_on=invited_on, actor=city
    )
    turned_down = services.appointment_nominate(
        supervisor=SupervisorFactory(), invited_on=invited_on, actor=city
    )
    services.appointment_turn_down(appointment=turned_down, reason="名额已满", actor=city)
    client = client_for("city_staff")
    first = client.get(reverse(PIPELINE))
    assert first.context["page"].paginator.count == 2
    assert first.context["stage"] == "open"
    assert 'href="?page=2"' in first.content.decode()
    shown = {
        a.pk
        for page in (1, 2)
        for a in client.get(reverse(PIPELINE), {"page": page}).context["page"]
    }
    assert shown == {world.appointment.pk, second.pk}


def test_an_empty_or_unknown_stage_lists_every_procedure(world, client_for):
    city = world.users["city_staff"]
    services.appointment_turn_down(appointment=world.appointment, reason="本人婉拒", actor=city)
    client = client_for("city_staff")
    assert list(client.get(reverse(PIPELINE)).context["page"]) == []
    for stage in ("", "unknown"):
        response = client.get(reverse(PIPELINE), {"stage": stage})
        assert [a.pk for a in response.context["page"]] == [world.appointment.pk]
        assert response.context["stage"] == ""


def test_the_complaint_list_links_to_its_next_page(world, client_for, one_per_page):
    Complaint.objects.create(
        supervisor=world.supervisor_record,
        received_on=timezone.localdate(),
        summary="家属反映探视时间过短",
    )
    client = client_for("city_staff")
    first = client.get(reverse(COMPLAINTS))
    assert first.context["page"].paginator.count == 2
    html = first.content.decode()
    assert 'href="?page=2"' in html
    # Each row keeps its update form.
    assert 'name="status"' in html and 'name="note"' in html
    second = client.get(reverse(COMPLAINTS), {"page": 2})
    assert 'href="?page=1"' in second.content.decode()
    shown = {c.pk for response in (first, second) for c in response.context["page"]}
    assert shown == set(Complaint.objects.values_list("pk", flat=True))
