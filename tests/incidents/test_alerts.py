import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend

from audit_portal.accounts.models import User
from audit_portal.notices.models import Delivery, Notification
from incidents import services
from incidents.models import Alert, Kind
from tests.factories import UserFactory
from tests.incidents.factories import figures, file_incident, followup, reporter_for
from tests.inspections.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def recipients(report):
    return set(Alert.objects.filter(report=report).values_list("recipient__code", flat=True))


def initial(incident):
    return incident.reports.get(stage="initial")


def test_an_injury_alerts_the_county_and_the_placing_station(world):
    incident = file_incident(world.institution_a)
    assert recipients(initial(incident)) == {"county-a", "station"}


def test_only_stations_with_an_active_agreement_are_alerted(world):
    AgreementFactory(institution=world.institution_a, status="ended")
    incident = file_incident(world.institution_a)
    assert recipients(initial(incident)) == {"county-a", "station"}


def test_an_institution_without_agreements_alerts_its_county(world):
    incident = file_incident(world.institution_b)
    assert recipients(initial(incident)) == {"county-b"}


@pytest.mark.parametrize("kind", [Kind.DEATH, Kind.MISSING])
def test_a_death_or_a_missing_resident_also_goes_to_the_city(world, kind):
    incident = file_incident(world.institution_a, kind=kind)
    assert recipients(initial(incident)) == {"county-a", "station", "city"}


def test_a_death_of_any_kind_goes_to_the_city(world):
    incident = file_incident(world.institution_b, kind=Kind.FIRE, figures=figures(deaths=1))
    assert recipients(initial(incident)) == {"county-b", "city"}


@pytest.mark.parametrize(
    ("figs", "city"),
    [
        ({"serious_injuries": 9}, False),
        ({"serious_injuries": 10}, True),
        ({"direct_loss": 9_999_999}, False),
        ({"direct_loss": 10_000_000}, True),
    ],
)
def test_a_grade_of_larger_or_above_goes_to_the_city(world, figs, city):
    incident = file_incident(world.institution_b, kind=Kind.FIRE, figures=figures(**figs))
    assert ("city" in recipients(initial(incident))) is city


def test_a_follow_up_raising_the_grade_brings_in_the_city(world):
    incident = file_incident(world.institution_a)
    report = followup(incident, figures=figures(deaths=3))
    assert recipients(report) == {"county-a", "station", "city"}


def test_a_station_incident_alerts_the_bureau_above_the_station(world):
    incident = file_incident(station=world.station, actor=world.users["station_staff"])
    assert recipients(initial(incident)) == {"city"}


def staff_of(*organisations):
    return User.objects.filter(organisation__in=organisations, role="staff", is_active=True)


def test_the_staff_of_each_recipient_are_notified_once_per_report(world):
    incident = file_incident(world.institution_a)
    report = initial(incident)
    told = Notification.objects.filter(key=f"incident:{incident.pk}:report:{report.pk}")
    assert set(told.values_list("recipient", flat=True)) == set(
        staff_of(world.county_a, world.station).values_list("pk", flat=True)
    )
    assert not told.filter(recipient=world.users["city_staff"]).exists()
    assert not told.filter(recipient=world.users["county_b_staff"]).exists()


def test_alerts_are_mailed_to_the_staff_of_each_recipient(
    world, django_capture_on_commit_callbacks
):
    UserFactory(organisation=world.county_a, email="")  # no address: in the application only
    with django_capture_on_commit_callbacks(execute=True):
        file_incident(world.institution_a)
    to = sorted(address for message in mail.outbox for address in message.to)
    expected = staff_of(world.county_a, world.station).exclude(email="")
    assert to == sorted(expected.values_list("email", flat=True))
    assert world.users["county_a_staff"].email in to
    assert world.users["city_staff"].email not in to
    assert "东湖区社会福利院" in mail.outbox[0].subject


def test_the_mail_links_to_the_incident_at_the_site_address(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://audit.example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        incident = file_incident(world.institution_a)
    assert f"https://audit.example.gov.cn/incidents/{incident.pk}/" in mail.outbox[0].body


def test_nothing_is_mailed_before_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file_incident(world.institution_a)
    assert mail.outbox == []
    assert callbacks
    for callback in callbacks:
        callback()
    assert mail.outbox


def test_an_acknowledgement_reads_the_organisations_alerts(world):
    staff = world.users["county_a_staff"]
    services.incident_acknowledge(incident=world.incident_a, actor=staff)
    alert = Alert.objects.get(pk=world.alert_county_a.pk)
    assert alert.read_by == staff and alert.read_at is not None
    assert world.incident_a.alerts.get(recipient=world.station).read_at is None


def test_only_the_recipient_reads_an_alert(world):
    with pytest.raises(PermissionDenied):
        services.alert_mark_read(alert=world.alert_county_a, actor=world.users["station_staff"])


def test_reporters_are_unaffected_by_mail_failures_later(world):
    # Mail is sent by the task queue after the commit, never inside the request's transaction.
    incident = file_incident(world.institution_a, actor=reporter_for(world.institution_a))
    assert incident.alerts.count() == 2
    mails = Delivery.objects.filter(channel="mail", key__startswith=f"incident:{incident.pk}:")
    assert mails.count() == staff_of(world.county_a, world.station).exclude(email="").count()
    assert set(mails.values_list("status", flat=True)) == {"pending"}


def test_a_mail_server_failure_is_logged_and_retried_not_raised(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.incidents.test_alerts.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        incident = file_incident(world.institution_a)
    mails = Delivery.objects.filter(channel="mail", key__startswith=f"incident:{incident.pk}:")
    assert mails.exists()
    assert set(mails.values_list("status", flat=True)) == {"retrying"}
    assert incident.alerts.count() == 2


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("connection refused")
