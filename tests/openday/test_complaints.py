"""Public complaints: routing to the county and the assigned group, tracking by code."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit_portal.notices import services as notice_services
from audit_portal.notices.kinds import Kind, Mode
from audit_portal.notices.models import Notification
from openday import selectors, services
from openday.models import PublicComplaint
from supervisors.models import Assignment
from tests.openday.factories import public_form

FAST = override_settings(AUDIT_RULES_OVERRIDES={"openday_form_min_seconds": 0})


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def assigned(world):
    """The supervisor persona's group assigned to institution A, with the grants."""
    from supervisors import services as supervisor_services

    supervisor_services.group_assign(
        group=world.group,
        institution=world.institution_a,
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        actor=world.users["city_staff"],
    )
    return world.group


def _submit(world):
    return services.complaint_submit(
        institution=world.institution_a,
        kind="complaint",
        text="夜间无人值守",
        name="钱先生",
        phone="13811112222",
    )


def test_a_complaint_is_routed_to_the_county_and_the_assigned_group(world, assigned):
    complaint = _submit(world)
    assert complaint.county == world.county_a
    assert list(complaint.groups.all()) == [assigned]
    assert complaint in selectors.complaints_for(world.users["supervisor"])
    assert complaint in selectors.complaints_for(world.users["county_a_staff"])
    assert complaint in selectors.complaints_for(world.users["city_staff"])
    assert complaint not in selectors.complaints_for(world.users["county_b_staff"])
    assert complaint not in selectors.complaints_for(world.users["station_staff"])


def test_a_group_no_longer_assigned_does_not_receive_it(world):
    complaint = _submit(world)
    assert not complaint.groups.exists()
    assert complaint not in selectors.complaints_for(world.users["supervisor"])


def test_the_county_staff_and_the_supervisors_are_told(world, assigned):
    complaint = _submit(world)
    told = set(
        Notification.objects.filter(key=f"public_complaint:{complaint.pk}:received").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"county_a", "supervisor"} <= told
    assert not told & {"county_b", "station", "institution"}


def test_those_who_chose_mail_are_mailed_without_the_contact_details(
    world, assigned, django_capture_on_commit_callbacks
):
    for persona in ("county_a_staff", "supervisor"):
        notice_services.preferences_set(
            user=world.users[persona], modes={Kind.COMPLAINT_FORWARDED: Mode.MAIL}
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(world)
    recipients = {address for message in mail.outbox for address in message.to}
    assert {world.users["county_a_staff"].email, world.users["supervisor"].email} <= recipients
    assert all("13811112222" not in message.body for message in mail.outbox)
    assert all("钱先生" not in message.body + message.subject for message in mail.outbox)


def test_the_supervisor_does_not_see_the_contact_details(world, assigned, client_for):
    complaint = _submit(world)
    page = client_for("supervisor").get(reverse("openday:complaint_detail", args=[complaint.pk]))
    assert page.status_code == 200
    assert "13811112222" not in page.content.decode()
    assert "钱先生" not in page.content.decode()
    staff_page = client_for("county_a_staff").get(
        reverse("openday:complaint_detail", args=[complaint.pk])
    )
    assert "13811112222" in staff_page.content.decode()


def test_a_supervisor_forwards_it_into_the_supervisor_scheme(world, assigned, client_for):
    complaint = _submit(world)
    client_for("supervisor").post(
        reverse("openday:complaint_forward", args=[complaint.pk]), {"note": "建议尽快核查"}
    )
    complaint.refresh_from_db()
    assert complaint.status == PublicComplaint.Status.HANDLING
    forwarded = complaint.forwarded_as
    assert forwarded.supervisor == world.supervisor_record
    assert forwarded.institution == world.institution_a
    assert "13811112222" not in forwarded.summary


def test_the_reply_answers_it_and_closes_the_forwarded_complaint(world, assigned, client_for):
    complaint = _submit(world)
    services.complaint_forward(complaint=complaint, actor=world.users["supervisor"], note="")
    client_for("county_a_staff").post(
        reverse("openday:complaint_reply", args=[complaint.pk]), {"reply": "已督促整改"}
    )
    complaint.refresh_from_db()
    assert complaint.status == PublicComplaint.Status.ANSWERED
    assert complaint.replied_by == world.users["county_a_staff"]
    assert complaint.forwarded_as.status == "closed"


@FAST
def test_the_public_submits_and_checks_the_status_with_the_code(world, client):
    url = reverse("openday:complaint_submit", kwargs={"institution": world.institution_a.pk})
    response = client.post(
        url, public_form(kind="suggestion", text="希望增加探视时间", phone="", name="")
    )
    complaint = PublicComplaint.objects.get(text="希望增加探视时间")
    assert complaint.code in response.content.decode()
    services.complaint_reply(
        complaint=complaint, actor=world.users["city_staff"], reply="将于下月起延长"
    )
    status = client.post(
        reverse("openday:complaint_status"), public_form(code=complaint.code.lower())
    )
    assert "将于下月起延长" in status.content.decode()


def test_an_institution_not_in_a_published_summary_takes_no_complaints(world, client):
    from tests.inspections.factories import InstitutionFactory

    other = InstitutionFactory(county=world.county_a)
    url = reverse("openday:complaint_submit", kwargs={"institution": other.pk})
    assert client.get(url).status_code == 404


def test_an_ended_assignment_is_not_routed(world):
    assert Assignment.objects.filter(institution=world.institution_b).exists()
    complaint = services.complaint_submit(
        institution=world.institution_b, kind="complaint", text="x"
    )
    assert not complaint.groups.exists()
