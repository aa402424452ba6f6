"""The final report comes once the situation is over (事态平息后), not at a day count: an incident
owes no final report until it is declared over, however long it lasts; declared over, its final
report is due within ``incident_final_report_workdays`` working days (调休 counted), and a late
one is flagged on its stage, in the list's late filter, on the home panels and, while it has
not come, on the overdue list. The 30-day (fire: 7-day) window is for supplementary reports."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import reminders, services
from incidents.models import Kind
from incidents.selectors import overdue_panel, overdue_stages
from incidents.timeline import timeline
from tests.incidents.factories import FINAL, figures, file_incident, final, reporter_for

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 28 September 2026: five working days later is Saturday 10 October, a make-up workday
# after the National Day week (DOMAIN "Counting"), not Monday 5 October.
START = datetime.datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)
MINUTE = datetime.timedelta(minutes=1)


def declare_over(incident, actor=None, reason="伤者已出院，事态平息"):
    return services.incident_declare_over(
        incident=incident, actor=actor or reporter_for(incident.institution), reason=reason
    )


def numbers(client, query) -> set[str]:
    page = client.get(reverse("incidents:incident_list"), query).context["page"]
    return {incident.number for incident in page}


@pytest.fixture
def injury(world, time_machine):
    time_machine.move_to(START, tick=False)
    return file_incident(world.institution_a, kind=Kind.INJURY)


def test_a_resident_still_missing_after_thirty_days_owes_no_final_report_yet(
    world, client_for, time_machine
):
    time_machine.move_to(START, tick=False)
    missing = file_incident(
        world.institution_a, kind=Kind.MISSING, figures=figures(missing_count=1)
    )
    day_31 = missing.occurred_at + datetime.timedelta(days=31)
    time_machine.move_to(day_31, tick=False)
    missing.refresh_from_db()
    assert missing.final_due_at() is None and not missing.final_overdue(day_31)
    staff = world.users["county_a_staff"]
    assert missing.pk not in {row.incident.pk for row in overdue_stages(staff)}
    client = client_for("county_a_staff")
    assert missing.number not in numbers(client, {"late": "yes"})
    assert missing.number in numbers(client, {"late": "no"})
    assert missing.pk not in {row.incident.pk for row in overdue_panel(staff)["overdue"]}
    assert not any("终报" in event.title for event in timeline(missing, day_31))
    keys = {item.key for item in reminders._owed(day_31.date())}
    assert f"incident:{missing.pk}:final:overdue" not in keys


def test_declaring_over_sets_the_final_report_due_in_working_days(world, injury):
    incident = declare_over(injury)
    incident.refresh_from_db()
    assert incident.over_at == START
    assert incident.over_by == world.users["institution_user"]
    assert incident.over_reason == "伤者已出院，事态平息"
    assert incident.final_due_on == datetime.date(2026, 10, 10)
    assert incident.final_due_at() == datetime.datetime(2026, 10, 11, tzinfo=SHANGHAI)
    history = incident.history.first()
    assert history.history_user == world.users["institution_user"]


def test_declaring_over_needs_a_reason_and_is_done_once(world, injury):
    with pytest.raises(ValidationError) as refused:
        declare_over(injury, reason="  ")
    assert "over_reason" in refused.value.message_dict
    injury.refresh_from_db()
    assert injury.over_at is None
    declare_over(injury)
    with pytest.raises(ValidationError) as refused:
        declare_over(injury)
    assert refused.value.messages == [_("The incident has already been declared over.")]


def test_a_final_report_on_its_last_day_is_on_time_and_the_next_day_late(
    world, injury, time_machine
):
    declare_over(injury)
    injury.refresh_from_db()
    time_machine.move_to(datetime.datetime(2026, 10, 10, 23, 59, tzinfo=SHANGHAI), tick=False)
    assert not injury.final_overdue(datetime.datetime(2026, 10, 10, 23, 59, tzinfo=SHANGHAI))
    report = final(injury)
    assert report.due_at == injury.final_due_at()
    assert report.late_by is None
    other = file_incident(world.institution_a, kind=Kind.INJURY)
    declare_over(other)  # on Saturday 10 October (a workday): due Friday 16 October
    other.refresh_from_db()
    assert other.final_due_on == datetime.date(2026, 10, 16)
    time_machine.move_to(datetime.datetime(2026, 10, 17, 0, 1, tzinfo=SHANGHAI), tick=False)
    assert final(other).late_by == datetime.timedelta(minutes=1)


def test_a_late_final_report_is_flagged_in_the_list_and_the_timeline(
    world, injury, client_for, time_machine
):
    declare_over(injury)
    injury.refresh_from_db()
    time_machine.move_to(injury.final_due_at() + 2 * datetime.timedelta(hours=1), tick=False)
    report = final(injury)
    assert report.late_by == 2 * datetime.timedelta(hours=1)
    client = client_for("county_a_staff")
    assert injury.number in numbers(client, {"late": "yes"})
    assert injury.number not in numbers(client, {"late": "no"})
    listing = client.get(reverse("incidents:incident_list"), {"late": "yes"}).content.decode()
    assert "终报迟报" in listing
    detail = client.get(reverse("incidents:incident_detail", args=[injury.pk])).content.decode()
    assert "终报时限（迟报 2" in detail


def test_an_overdue_final_is_on_the_overdue_list_the_home_page_and_the_reminders(
    world, injury, client_for, time_machine
):
    declare_over(injury)
    injury.refresh_from_db()
    due = injury.final_due_at()
    time_machine.move_to(due - MINUTE, tick=False)
    staff = world.users["county_a_staff"]
    assert injury.pk not in {row.incident.pk for row in overdue_stages(staff)}
    time_machine.move_to(due, tick=False)
    rows = overdue_stages(staff)
    assert [row.due_at for row in rows if row.incident.pk == injury.pk] == [due]
    client = client_for("county_a_staff")
    assert injury.number in numbers(client, {"late": "yes"})
    assert str(injury) in client.get(reverse("home")).content.decode()
    keys = {item.key for item in reminders._owed(datetime.date(2026, 10, 11))}
    assert f"incident:{injury.pk}:final:overdue" in keys
    # Filed late, it leaves the overdue list and stays flagged as late.
    final(injury)
    assert injury.pk not in {row.incident.pk for row in overdue_stages(staff)}
    assert injury.number in numbers(client, {"late": "yes"})


def test_the_final_form_declares_the_incident_over_in_the_same_step(
    world, injury, client_for, time_machine
):
    time_machine.move_to(START + datetime.timedelta(days=40), tick=False)
    url = reverse("incidents:incident_final", args=[injury.pk])
    client = client_for("institution_user")
    page = client.get(url)
    assert "over_reason" in page.context["form"].fields
    data = {
        **FINAL,
        "event_time": "2026-09-28T09:20",
        "deaths": 0,
        "serious_injuries": 0,
        "direct_loss": "0",
        "missing_count": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "over_reason" in response.context["form"].errors
    assert not injury.reports.filter(stage="final").exists()
    response = client.post(url, {**data, "over_reason": "伤者已康复出院"})
    assert response.status_code == 302
    injury.refresh_from_db()
    assert injury.status == injury.Status.FINAL
    assert injury.over_reason == "伤者已康复出院"
    assert injury.final_due_on >= injury.over_at.date()
    assert injury.reports.get(stage="final").late_by is None


def test_an_incident_declared_over_files_its_final_without_a_reason(world, injury, client_for):
    declare_over(injury)
    page = client_for("institution_user").get(reverse("incidents:incident_final", args=[injury.pk]))
    assert "over_reason" not in page.context["form"].fields


def test_the_final_form_starts_from_the_current_figures_and_the_event_time(
    world, injury, client_for
):
    services.report_followup(
        incident=injury,
        actor=world.users["institution_user"],
        fields={
            "casualties": "一人重伤",
            "latest_impact": "无",
            "major_changes": "伤情加重",
            "measures_effect": "送医",
            "next_steps": "观察",
        },
        figures=figures(serious_injuries=1, direct_loss=800),
    )
    form = (
        client_for("institution_user")
        .get(reverse("incidents:incident_final", args=[injury.pk]))
        .context["form"]
    )
    assert form["serious_injuries"].value() == 1
    assert form["direct_loss"].value() == 800
    assert form["event_time"].value() == timezone.localtime(injury.occurred_at).replace(tzinfo=None)


def test_an_amendment_of_the_final_report_is_not_itself_late(world, injury, time_machine):
    report = final(injury)
    time_machine.move_to(START + datetime.timedelta(days=40), tick=False)
    amendment = services.report_amend(
        report=report,
        actor=report.submitted_by,
        reason="更正伤情",
        fields={**FINAL, "event_time": injury.occurred_at},
        figures=figures(),
    )
    assert amendment.due_at is None and amendment.late_by is None


def test_the_home_panel_shows_the_most_overdue_stages_and_counts_the_rest(
    world, client_for, time_machine, monkeypatch
):
    from incidents import selectors

    monkeypatch.setattr(selectors, "PANEL_ROWS", 2)
    time_machine.move_to(START, tick=False)
    incidents = [file_incident(world.institution_a, minutes_ago=30 + i) for i in range(3)]
    for incident in incidents:
        declare_over(incident)
    time_machine.move_to(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI), tick=False)
    staff = world.users["county_a_staff"]
    every = selectors.overdue_stages(staff)
    assert {incident.pk for incident in incidents} <= {row.incident.pk for row in every}
    panel = selectors.overdue_panel(staff)
    # The longest overdue first, the rest counted.
    assert panel["overdue"] == every[:2]
    assert panel["more"] == len(every) - 2 >= 1
    page = client_for("county_a_staff").get(reverse("home")).content.decode()
    assert f"另有 {len(every) - 2} 项逾期环节" in page


# The page and who may declare it over -------------------------------------------------------------


def test_the_reporting_body_declares_it_over_from_the_incident_page(world, injury, client_for):
    url = reverse("incidents:incident_declare_over", args=[injury.pk])
    client = client_for("institution_user")
    assert (
        url in client.get(reverse("incidents:incident_detail", args=[injury.pk])).content.decode()
    )
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "伤者已出院"})
    assert response.status_code == 302
    injury.refresh_from_db()
    assert injury.over_reason == "伤者已出院"
    assert injury.final_due_on == datetime.date(2026, 10, 10)
    # A second submit is refused with a message, never an error page.
    response = client.post(url, {"reason": "再次提交"}, follow=True)
    assert response.status_code == 200
    injury.refresh_from_db()
    assert injury.over_reason == "伤者已出院"


def test_an_empty_reason_is_refused_with_a_message(world, injury, client_for):
    url = reverse("incidents:incident_declare_over", args=[injury.pk])
    response = client_for("county_a_staff").post(url, {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    injury.refresh_from_db()
    assert injury.over_at is None


def test_the_bureau_declares_it_over_but_not_the_placing_station_or_an_outsider(
    world, injury, client_for
):
    url = reverse("incidents:incident_declare_over", args=[injury.pk])
    assert client_for("county_b_staff").post(url, {"reason": "x"}).status_code == 404
    assert client_for("station_staff").post(url, {"reason": "x"}).status_code == 403
    injury.refresh_from_db()
    assert injury.over_at is None
    client_for("county_a_staff").post(url, {"reason": "已核实，事态平息"})
    injury.refresh_from_db()
    assert injury.over_by == world.users["county_a_staff"]
