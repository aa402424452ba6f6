"""Changes in casualties (Order 493): within 30 days of the incident (7 for a fire) a change
demands a supplementary report within ``incident_forwarding_minutes`` (2 hours) of being
recorded; the next follow-up answers every change not yet answered; after the window a change
is recorded and demands nothing. The supervising bodies hear of each change at once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from audit_portal.notices.models import Notification
from audit_portal.notices.reminders import reminders_send
from incidents import inbox, reminders, selectors, services
from incidents.models import CasualtyChange, Kind
from tests.incidents.factories import FOLLOWUP, figures, file_incident, followup, reporter_for

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)
TWO_HOURS = datetime.timedelta(hours=2)
MINUTE = datetime.timedelta(minutes=1)


def change(incident, actor=None, what="伤者转入重症监护", **figures_now):
    values = {"deaths": 0, "serious_injuries": 0, "missing_count": 0, **figures_now}
    return services.casualties_change(
        incident=incident,
        actor=actor or reporter_for(incident.institution),
        what_changed=what,
        **values,
    )


def overdue_kinds(user, incident) -> list[str]:
    return [str(row.what) for row in selectors.overdue_stages(user) if row.incident == incident]


@pytest.fixture
def injury(world, time_machine):
    time_machine.move_to(START, tick=False)
    return file_incident(world.institution_a, kind=Kind.INJURY)


def test_a_change_within_the_window_demands_a_report_within_two_hours(world, injury, time_machine):
    recorded = change(injury, serious_injuries=1)
    assert recorded.demands_report
    assert recorded.recorded_at == START
    assert recorded.report_due_at == START + TWO_HOURS
    injury.refresh_from_db()
    # The incident's figures stay those of its reports until the supplementary report.
    assert injury.serious_injuries == 0
    assert selectors.supplementary_due_at(injury) == START + TWO_HOURS
    staff = world.users["county_a_staff"]
    time_machine.move_to(START + TWO_HOURS, tick=False)  # "2小时内": the 120th minute counts
    assert overdue_kinds(staff, injury) == []
    time_machine.move_to(START + TWO_HOURS + MINUTE, tick=False)
    assert overdue_kinds(staff, injury) == [_("Supplementary report")]


def test_the_list_the_page_and_the_inbox_show_the_report_owed(
    world, injury, client_for, time_machine
):
    change(injury, serious_injuries=1)
    account = world.users["institution_user"]
    section = inbox.supplementary_reports_owed(account, on=START.date(), limit=10)
    assert section.count == 1 and not section.items[0].overdue
    assert section.items[0].url == reverse("incidents:incident_followup", args=[injury.pk])
    assert inbox.supplementary_reports_owed(world.users["county_a_staff"], on=None, limit=5) is None
    time_machine.move_to(START + TWO_HOURS + MINUTE, tick=False)
    section = inbox.supplementary_reports_owed(account, on=START.date(), limit=10)
    assert section.items[0].overdue and section.items[0].due == START + TWO_HOURS
    page = client_for("county_a_staff").get(reverse("incidents:incident_list"))
    [listed] = [i for i in page.context["page"] if i.pk == injury.pk]
    assert listed.supplementary_overdue and listed.supplementary_due == START + TWO_HOURS
    detail = client_for("institution_user").get(
        reverse("incidents:incident_detail", args=[injury.pk])
    )
    text = detail.content.decode()
    assert 'id="supplementary-due"' in text and 'class="overdue"' in text


def test_the_next_follow_up_answers_every_change(world, injury, time_machine):
    first = change(injury, serious_injuries=1)
    second = change(injury, serious_injuries=2, what="又一人重伤")
    time_machine.move_to(START + TWO_HOURS + MINUTE, tick=False)
    report = followup(injury, figures=figures(serious_injuries=2))
    assert set(report.answers.all()) == {first, second}
    injury.refresh_from_db()
    assert injury.serious_injuries == 2
    assert selectors.supplementary_due_at(injury) is None
    assert overdue_kinds(world.users["county_a_staff"], injury) == []
    account = world.users["institution_user"]
    assert inbox.supplementary_reports_owed(account, on=START.date(), limit=10).count == 0


def test_after_the_window_a_change_is_recorded_but_demands_nothing(world, time_machine):
    time_machine.move_to(START, tick=False)
    fire = file_incident(world.institution_a, kind=Kind.FIRE)
    time_machine.move_to(fire.followup_window_ends_at, tick=False)
    assert change(fire, serious_injuries=1).demands_report  # the window's last moment counts
    time_machine.move_to(fire.followup_window_ends_at + MINUTE, tick=False)
    late = change(fire, serious_injuries=2)
    assert not late.demands_report and late.report_due_at is None
    time_machine.move_to(fire.followup_window_ends_at + 3 * TWO_HOURS, tick=False)
    keys = {item.key for item in reminders._owed(fire.followup_window_ends_at.date())}
    assert f"incident:{fire.pk}:supplementary:{late.pk}:overdue" not in keys


def test_a_change_that_changes_nothing_is_refused(world, injury):
    with pytest.raises(ValidationError):
        change(injury)  # the figures already on record
    change(injury, missing_count=1)
    with pytest.raises(ValidationError):
        change(injury, missing_count=1)  # those of the change not yet answered
    assert CasualtyChange.objects.filter(incident=injury).count() == 1
    with pytest.raises(ValidationError) as refused:
        change(injury, missing_count=0, what=" ")
    assert "what_changed" in refused.value.message_dict


def test_the_reporting_body_records_changes_until_the_incident_is_closed(world, injury):
    with pytest.raises(PermissionDenied):
        change(injury, actor=world.users["county_a_staff"], deaths=1)
    from tests.incidents.factories import final

    final(injury)
    services.incident_close(incident=injury, actor=world.users["county_a_staff"], text="结案")
    with pytest.raises(ValidationError):
        change(injury, deaths=1)


def test_the_supervising_bodies_hear_of_the_change(world, injury):
    recorded = change(injury, deaths=1)
    told = set(
        Notification.objects.filter(key=f"incident:{injury.pk}:change:{recorded.pk}").values_list(
            "recipient__username", flat=True
        )
    )
    assert world.users["county_a_staff"].username in told
    assert world.users["county_b_staff"].username not in told
    assert world.users["institution_user"].username not in told


def test_an_overdue_supplementary_report_is_reminded_once(world, injury, time_machine):
    recorded = change(injury, serious_injuries=1)
    key = f"incident:{injury.pk}:supplementary:{recorded.pk}:overdue"
    time_machine.move_to(START + TWO_HOURS + MINUTE, tick=False)
    reminders_send(on=START.date())
    sent = Notification.objects.filter(key=key)
    assert world.users["institution_user"] in {note.recipient for note in sent}
    assert world.users["county_a_staff"] in {note.recipient for note in sent}
    count = sent.count()
    reminders_send(on=START.date())
    assert Notification.objects.filter(key=key).count() == count


def test_the_page_records_a_change_and_the_follow_up_starts_from_it(world, injury, client_for):
    client = client_for("institution_user")
    url = reverse("incidents:casualties_change", args=[injury.pk])
    form = client.get(url).context["form"]
    assert form["serious_injuries"].value() == 0
    response = client.post(url, {"deaths": 0, "serious_injuries": 0, "missing_count": 0})
    assert response.status_code == 200  # nothing changed, and nothing said: shown again
    assert not injury.casualty_changes.exists()
    response = client.post(
        url,
        {"deaths": 1, "serious_injuries": 0, "missing_count": 0, "what_changed": "伤者抢救无效"},
    )
    assert response.status_code == 302
    assert injury.casualty_changes.get().deaths == 1
    form = client.get(reverse("incidents:incident_followup", args=[injury.pk])).context["form"]
    assert form["deaths"].value() == 1
    post = {**FOLLOWUP, "deaths": 1, "serious_injuries": 0, "direct_loss": "0", "missing_count": 0}
    assert (
        client.post(reverse("incidents:incident_followup", args=[injury.pk]), post).status_code
        == 302
    )
    assert injury.casualty_changes.get().answered_by is not None
