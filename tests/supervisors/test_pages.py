import subprocess

import pytest
from django.urls import reverse

from supervisors.models import Appointment, IdNumberView, SupervisionGroup

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607 - poppler-utils, installed for tests
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def test_the_roster_shows_masked_id_numbers_only(world, client_for):
    record = world.supervisor_record
    response = client_for("city_staff").get(reverse("supervisors:supervisor_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert record.masked_id_number in body
    assert record.id_number not in body


def test_the_roster_filters_terms_ending_soon(world, client_for):
    term = world.supervisor_term
    client = client_for("city_staff")
    response = client.get(reverse("supervisors:supervisor_list"), {"ending": "on"})
    assert record_names(response) == set()
    term.last_day = term.starts_on.replace(year=term.starts_on.year + 1) + __import__(
        "datetime"
    ).timedelta(days=30)
    term._change_reason = "测试"
    term.save()
    response = client.get(reverse("supervisors:supervisor_list"), {"ending": "on"})
    assert record_names(response) == {"刘志强"}


def record_names(response) -> set[str]:
    return {s.full_name for s in response.context["page"]}


def test_showing_the_full_id_number_is_logged(world, client_for):
    record = world.supervisor_record
    response = client_for("city_staff").post(
        reverse("supervisors:supervisor_id_number", args=[record.pk])
    )
    assert record.id_number in response.content.decode()
    view = IdNumberView.objects.get()
    assert (view.supervisor, view.viewer) == (record, world.users["city_staff"])


def test_county_staff_never_see_the_full_id_number(world, client_for):
    from supervisors import services

    services.group_assign(
        group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
    )
    client = client_for("county_a_staff")
    record = world.supervisor_record
    detail = client.get(reverse("supervisors:supervisor_detail", args=[record.pk]))
    assert detail.status_code == 200
    assert record.id_number not in detail.content.decode()
    reveal = client.post(reverse("supervisors:supervisor_id_number", args=[record.pk]))
    assert reveal.status_code == 403
    assert not IdNumberView.objects.exists()


def test_the_appointment_letter_is_a_pdf_with_the_id_number_masked(world, client_for):
    record = world.supervisor_record
    response = client_for("city_staff").get(
        reverse("supervisors:term_letter", args=[world.supervisor_term.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert record.full_name in text
    assert record.masked_id_number in text
    assert record.id_number not in text


def test_the_group_page_says_what_is_missing(world, client_for):
    group = SupervisionGroup.objects.create(name="第二监督小组")
    response = client_for("city_staff").get(reverse("supervisors:group_detail", args=[group.pk]))
    assert len(response.context["problems"]) == 3  # size, leader, deputy
    activate = client_for("city_staff").post(reverse("supervisors:group_activate", args=[group.pk]))
    assert activate.status_code == 302
    group.refresh_from_db()
    assert group.status == SupervisionGroup.Status.FORMING


def test_a_step_out_of_order_is_refused_on_the_page(world, client_for):
    appointment = world.appointment
    response = client_for("city_staff").post(
        reverse("supervisors:appointment_file", args=[appointment.pk]),
        {"starts_on": "2026-01-01", "employer_notified_on": "2026-01-01", "filing_number": "1"},
        follow=True,
    )
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.stage == Appointment.Stage.NOMINATED
    assert list(response.context["messages"])


def test_the_supervisor_home_shows_term_and_institutions(world, client_for):
    from supervisors import services

    services.group_assign(
        group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
    )
    response = client_for("supervisor").get(reverse("home"))
    body = response.content.decode()
    assert world.institution_a.name in body
    assert world.supervisor_term.last_day.strftime("%Y-%m-%d") in body
    assert world.institution_b.name not in body


def test_a_supervisor_forwards_a_complaint(world, client_for):
    response = client_for("supervisor").post(
        reverse("supervisors:complaint_create"),
        {"received_on": "2026-01-05", "summary": "群众反映夜间值守人员不足"},
    )
    assert response.status_code == 302
    assert world.supervisor_record.complaints.filter(summary__contains="夜间").exists()
