import datetime
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from incidents.models import Incident, Kind, Note, Report
from tests.incidents import factories
from tests.incidents.factories import (
    FINAL,
    FOLLOWUP,
    INITIAL,
    file_incident,
    final,
    followup,
    local,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)


def initial_post(minutes_ago: int, **extra) -> dict:
    return factories.initial_post(NOW, minutes_ago, **extra)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_an_institution_user_files_the_initial_report(world, client_for, frozen):
    response = client_for("institution_user").post(
        reverse("incidents:incident_create"), initial_post(60)
    )
    incident = Incident.objects.get(reported_at=NOW)
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:incident_detail", args=[incident.pk])
    assert incident.institution == world.institution_a
    assert incident.late_minutes == 0
    assert incident.serious_injuries == 1


def test_posted_receipt_times_cannot_override_the_server_clock(world, client_for, frozen):
    forged = "2026-06-01T09:30"
    client_for("institution_user").post(
        reverse("incidents:incident_create"),
        initial_post(
            61,
            reported_at=forged,
            submitted_at=forged,
            late_minutes="0",
            institution=world.institution_b.pk,
        ),
    )
    incident = Incident.objects.get(reported_by=world.users["institution_user"], reported_at=NOW)
    assert incident.late_minutes == 1
    assert incident.institution == world.institution_a
    assert incident.reports.get().submitted_at == NOW


def test_an_invalid_form_saves_nothing(world, client_for, frozen):
    before = Incident.objects.count()
    response = client_for("institution_user").post(
        reverse("incidents:incident_create"), initial_post(10, account="")
    )
    assert response.status_code == 200
    assert Incident.objects.count() == before


def test_a_death_without_the_police_call_is_received_and_the_call_shown_overdue(
    world, client_for, frozen
):
    client = client_for("institution_user")
    response = client.post(
        reverse("incidents:incident_create"), initial_post(10, kind=Kind.DEATH, deaths=1)
    )
    incident = Incident.objects.get(kind=Kind.DEATH)
    assert response.status_code == 302
    assert not incident.police_records.exists()
    page = client.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
    assert 'id="police-owed"' in page


def test_a_death_with_the_police_call_is_received(world, client_for, frozen):
    data = initial_post(
        10,
        kind=Kind.DEATH,
        deaths=1,
        police_reported_at=local(NOW - datetime.timedelta(minutes=8)),
        police_station="东湖派出所",
        case_number="110-0601",
    )
    client_for("institution_user").post(reverse("incidents:incident_create"), data)
    incident = Incident.objects.get(kind=Kind.DEATH)
    assert incident.police_records.get().case_number == "110-0601"


def test_an_institution_cannot_see_anothers_incident(world, client_for):
    client = client_for("institution_user")
    for name in ("incidents:incident_detail", "incidents:incident_pdf"):
        assert client.get(reverse(name, args=[world.incident_b.pk])).status_code == 404
    listing = client.get(reverse("incidents:incident_list")).content.decode()
    assert world.incident_a.number in listing
    assert world.incident_b.number not in listing


def test_county_b_gets_404_on_county_as_incident(world, client_for):
    client = client_for("county_b_staff")
    url = reverse("incidents:incident_detail", args=[world.incident_a.pk])
    assert client.get(url).status_code == 404
    comment = reverse("incidents:incident_comment", args=[world.incident_a.pk])
    response = client.post(comment, {"text": "x"})
    assert response.status_code == 404
    assert not Note.objects.filter(incident=world.incident_a).exists()


def test_a_follow_up_is_added_through_the_page(world, client_for):
    data = {**FOLLOWUP, "deaths": 3, "serious_injuries": 0, "direct_loss": "0", "missing_count": 0}
    url = reverse("incidents:incident_followup", args=[world.incident_a.pk])
    assert client_for("institution_user").post(url, data).status_code == 302
    incident = Incident.objects.get(pk=world.incident_a.pk)
    assert incident.reports.filter(stage="followup").count() == 1
    assert incident.grade == 2


def test_staff_cannot_file_a_follow_up(world, client_for):
    url = reverse("incidents:incident_followup", args=[world.incident_a.pk])
    data = {**FOLLOWUP, "deaths": 0, "serious_injuries": 0, "direct_loss": "0", "missing_count": 0}
    assert client_for("county_a_staff").post(url, data).status_code == 403
    assert not world.incident_a.reports.filter(stage="followup").exists()


def test_an_amendment_through_the_page_keeps_the_original_readable(world, client_for):
    report = world.report_a
    url = reverse("incidents:report_amend", args=[report.pk])
    data = {**INITIAL, "place": "食堂", "deaths": 0, "serious_injuries": 0, "direct_loss": "0"}
    data.update(missing_count=0, reason="地点有误")
    assert client_for("institution_user").post(url, data).status_code == 302
    page = client_for("county_a_staff").get(
        reverse("incidents:incident_detail", args=[world.incident_a.pk])
    )
    text = page.content.decode()
    assert "二楼活动室" in text and "食堂" in text and "地点有误" in text
    assert Report.objects.get(pk=report.pk).place == "二楼活动室"


def test_staff_acknowledge_and_the_alert_is_read(world, client_for):
    url = reverse("incidents:incident_acknowledge", args=[world.incident_a.pk])
    client_for("county_a_staff").post(url)
    assert world.incident_a.notes.get().kind == Note.Kind.ACKNOWLEDGEMENT
    world.alert_county_a.refresh_from_db()
    assert world.alert_county_a.read_at is not None


def test_the_county_closes_after_the_final_report(world, client_for):
    final(world.incident_a, actor=world.users["institution_user"])
    url = reverse("incidents:incident_close", args=[world.incident_a.pk])
    client_for("county_a_staff").post(url, {"text": "已处置完毕"})
    world.incident_a.refresh_from_db()
    assert world.incident_a.status == Incident.Status.CLOSED


def test_the_list_filters_by_kind_grade_late_and_open(world, client_for, time_machine):
    late = file_incident(world.institution_a, kind=Kind.FIRE, minutes_ago=90)
    client = client_for("city_staff")
    url = reverse("incidents:incident_list")

    def numbers(query):
        return {i.number for i in client.get(url, query).context["page"]}

    assert numbers({"kind": "fire"}) == {late.number}
    assert numbers({"late": "yes"}) == {late.number}
    assert late.number not in numbers({"late": "no"})
    grave = file_incident(
        world.institution_b,
        figures={
            "deaths": 10,
            "serious_injuries": 0,
            "direct_loss": Decimal(0),
            "missing_count": 0,
        },
        kind=Kind.FIRE,
    )
    assert numbers({"grade": 3}) == {grave.number}
    final(late)
    from incidents import services

    factories.tell_regulators(late)
    services.incident_close(incident=late, actor=world.users["city_staff"], text="火灾已扑灭，结案")
    assert late.number not in numbers({"open": "on"})


def test_the_timeline_lists_every_stage_alert_and_note(world, client_for):
    incident = world.incident_a
    followup(incident, actor=world.users["institution_user"])
    from incidents import services

    services.incident_comment(incident=incident, actor=world.users["city_staff"], text="请续报")
    page = client_for("institution_user").get(
        reverse("incidents:incident_detail", args=[incident.pk])
    )
    text = page.content.decode()
    assert "初报" in text and "续报" in text and "请续报" in text
    assert "东湖区民政局" in text  # the alert to county A


def test_the_pdf_carries_every_stage_in_chinese(world, client_for, tmp_path):
    incident = world.incident_a
    followup(incident, actor=world.users["institution_user"])
    final(incident, actor=world.users["institution_user"])
    response = client_for("county_a_staff").get(
        reverse("incidents:incident_pdf", args=[incident.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "incident.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 - our own file
        ["pdftotext", str(path), "-"],  # noqa: S607 - poppler-utils, installed for tests
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for expected in ("初报", "续报", "终报", "东湖区社会福利院", FINAL["cause"], INITIAL["place"]):
        assert expected in text


def test_the_home_page_shows_overdue_stages_to_staff(world, client_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    incident = file_incident(world.institution_a, kind=Kind.ABUSE)
    page = client_for("county_a_staff").get(reverse("home")).content.decode()
    assert incident.number in page or str(incident) in page
    other = client_for("county_b_staff").get(reverse("home")).content.decode()
    assert str(incident) not in other
