"""What people do with their access, in the security log: refusals, API tokens (created, used,
revoked), full ID views, exports and PDFs with personal data, changes of roles and of object
permissions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm
from rest_framework.test import APIClient

from audit_portal.accounts.models import User
from audit_portal.api.services import token_create, token_revoke
from audit_portal.core import pdf
from audit_portal.security.models import SecurityEvent
from inspections import exports
from tests.factories import UserFactory
from tests.file_jobs import ready_file

Kind, Outcome = SecurityEvent.Kind, SecurityEvent.Outcome
ADDRESS = "198.51.100.40"
INSTITUTIONS = reverse("api:institution-list")


@pytest.fixture
def events(world):
    """``events(kind)``: the events of ``kind`` this test made (the shared world already holds
    some: its accounts, tokens and grants)."""
    last = SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return lambda kind: SecurityEvent.objects.filter(kind=kind, pk__gt=last)


class UnrenderedPDF:
    def __init__(self, *, string: str, **kwargs):
        self.html = string

    def write_pdf(self) -> bytes:
        return b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def unrendered_pdf(monkeypatch):
    monkeypatch.setattr(pdf, "HTML", UnrenderedPDF)


def test_a_403_to_a_signed_in_user_is_recorded_with_the_path(world, client_for, events):
    response = client_for("supervisor").get(reverse("api_tokens:list"), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 403
    event = events(Kind.PERMISSION_DENIED).get()
    assert (event.user, event.address, event.outcome, event.target) == (
        world.users["supervisor"],
        ADDRESS,
        Outcome.DENIED,
        "GET /accounts/api-tokens/",
    )


def test_a_404_and_an_anonymous_visitor_are_not_recorded_as_refusals(world, client_for, events):
    outsider = client_for("county_b_staff").get(
        reverse("incidents:incident_detail", args=[world.incident_a.pk])
    )
    assert outsider.status_code == 404
    assert client_for("anonymous").get(reverse("api_tokens:list")).status_code == 302
    assert not events(Kind.PERMISSION_DENIED).exists()


def test_an_api_refusal_is_recorded_too(world, events):
    client = APIClient(REMOTE_ADDR=ADDRESS)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.api_token_city_read_raw}")
    url = reverse("api:monthly-report-list")
    assert client.post(url, {"month": "2026-01"}, format="json").status_code == 403
    event = events(Kind.PERMISSION_DENIED).get()
    assert (event.user, event.address, event.target) == (
        world.api_token_city_read.user,
        ADDRESS,
        f"POST {url}",
    )


def test_creating_and_revoking_a_token_are_recorded_without_the_token(world, events):
    staff = world.users["county_a_staff"]
    token, raw = token_create(
        user=staff,
        actor=staff,
        name="同步",
        scope="read",
        expires_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    token_revoke(token=token, actor=world.users["admin"])
    created, revoked = events(Kind.API_TOKEN_CREATED).get(), events(Kind.API_TOKEN_REVOKED).get()
    assert (created.user, revoked.user) == (staff, world.users["admin"])
    assert (
        created.target == revoked.target == f"token {token.pk} ({token.prefix}…) of user {staff.pk}"
    )
    stored = " ".join(str(value) for value in SecurityEvent.objects.values_list())
    assert raw not in stored


def test_a_tokens_use_is_recorded_once_a_minute_at_most(world, time_machine, events):
    time_machine.move_to("2026-11-23 09:00:00+08:00", tick=False)
    client = APIClient(REMOTE_ADDR=ADDRESS)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.api_token_city_raw}")
    for _request in range(3):
        assert client.get(INSTITUTIONS).status_code == 200
    event = events(Kind.API_TOKEN_USED).get()
    assert (event.user, event.address) == (world.api_token_city.user, ADDRESS)
    assert world.api_token_city_raw not in event.target
    time_machine.move_to("2026-11-23 09:00:59+08:00", tick=False)
    client.get(INSTITUTIONS)
    assert events(Kind.API_TOKEN_USED).count() == 1
    time_machine.move_to("2026-11-23 09:01:01+08:00", tick=False)
    client.get(INSTITUTIONS)
    assert events(Kind.API_TOKEN_USED).count() == 2


def test_a_full_id_view_is_recorded_without_the_number(world, client_for, events):
    record = world.supervisor_record
    response = client_for("city_staff").post(
        reverse("supervisors:supervisor_id_number", args=[record.pk]), REMOTE_ADDR=ADDRESS
    )
    assert record.id_number in response.content.decode()
    event = events(Kind.FULL_ID_VIEW).get()
    assert (event.user, event.address, event.target) == (
        world.users["city_staff"],
        ADDRESS,
        f"supervisor {record.pk}",
    )
    stored = " ".join(str(value) for value in SecurityEvent.objects.values_list())
    assert record.id_number not in stored


def test_downloading_an_export_with_personal_data_is_recorded(world, client_for, events):
    owner = world.users["county_a_staff"]
    job = ready_file(
        owner=owner,
        kind=exports.KIND,
        filename="issue-ledger.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        title="问题台账",
    )
    response = client_for("county_a_staff").get(
        reverse("files:download", args=[job.pk]), REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 200
    event = events(Kind.PERSONAL_DATA_EXPORT).get()
    assert (event.user, event.address, event.target, event.detail) == (
        owner,
        ADDRESS,
        f"file {job.pk} ({exports.KIND})",
        "问题台账",
    )


def test_downloading_a_file_without_personal_data_is_not_recorded(world, client_for, events):
    job = ready_file(owner=world.users["county_a_staff"], kind="tests.file")
    response = client_for("county_a_staff").get(reverse("files:download", args=[job.pk]))
    assert response.status_code == 200
    assert not events(Kind.PERSONAL_DATA_EXPORT).exists()
    assert not events(Kind.PERSONAL_DATA_PDF).exists()


def test_the_incident_pdf_is_recorded(world, client_for, unrendered_pdf, events):
    incident = world.incident_a
    response = client_for("county_a_staff").get(
        reverse("incidents:incident_pdf", args=[incident.pk]), REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 200
    event = events(Kind.PERSONAL_DATA_PDF).get()
    assert (event.user, event.address) == (world.users["county_a_staff"], ADDRESS)
    assert event.target == f"incident {incident.pk} ({incident.number})"


def test_the_appointment_letter_is_recorded(world, client_for, unrendered_pdf, events):
    term = world.supervisor_term
    response = client_for("city_staff").get(reverse("supervisors:term_letter", args=[term.pk]))
    assert response.status_code == 200
    event = events(Kind.PERSONAL_DATA_PDF).get()
    assert event.user == world.users["city_staff"]
    assert event.target == f"supervisor {term.supervisor_id} term {term.pk}"


def test_a_pdf_refused_to_an_outsider_is_not_recorded_as_produced(world, client_for, events):
    response = client_for("county_b_staff").get(
        reverse("incidents:incident_pdf", args=[world.incident_a.pk])
    )
    assert response.status_code == 404
    assert not events(Kind.PERSONAL_DATA_PDF).exists()


def test_a_new_account_and_a_change_of_its_role_are_recorded(world, client_for, events):
    user = UserFactory(username="newcomer", organisation=world.county_a)
    created = events(Kind.ROLE_CHANGED).get(target__endswith="(newcomer)")
    assert "role=staff" in created.detail
    user.organisation = world.city
    user.role = User.Role.ADMIN
    user.save()
    changed = events(Kind.ROLE_CHANGED).filter(target__endswith="(newcomer)").first()
    assert changed.detail.startswith("role=staff, organisation=")
    assert f"-> role=admin, organisation={world.city.pk}" in changed.detail


def test_a_save_that_leaves_the_access_alone_is_not_a_role_change(world, events):
    user = world.users["county_a_staff"]
    before = events(Kind.ROLE_CHANGED).count()
    user.phone = "13900000000"
    user.save()
    assert events(Kind.ROLE_CHANGED).count() == before


def test_a_role_change_in_the_admin_names_the_administrator(world, client_for, events):
    user = world.users["county_b_staff"]
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = client_for("admin").get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(organisation=world.county_a.pk, date_joined_0="2026-01-01", date_joined_1="08:00")
    data.pop("last_login", None)
    data.pop("password", None)
    client_for("admin").post(url, data, REMOTE_ADDR=ADDRESS)
    event = events(Kind.ROLE_CHANGED).filter(target=f"user {user.pk} (county_b)").first()
    assert event is not None
    assert (event.user, event.address) == (world.users["admin"], ADDRESS)


def test_granting_and_withdrawing_an_object_permission_are_recorded(world, events):
    user = world.users["supervisor"]
    assign_perm("inspections.view_institution", user, world.institution_a)
    remove_perm("inspections.view_institution", user, world.institution_a)
    granted, withdrawn = events(Kind.PERMISSION_CHANGED).order_by("id")[:2]
    expected = f"view_institution on institution {world.institution_a.pk}"
    assert granted.target == withdrawn.target == f"user {user.pk}"
    assert (granted.detail, withdrawn.detail) == (f"granted {expected}", f"withdrawn {expected}")


def test_an_administrator_setting_a_password_is_recorded(world, client_for, events):
    user = world.users["county_a_staff"]
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client_for("admin").post(
        url,
        {"password1": "Neues#Kennwort2026", "password2": "Neues#Kennwort2026"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    event = events(Kind.PASSWORD_CHANGED).get()
    assert (event.user, event.target, event.address) == (
        world.users["admin"],
        f"user {user.pk}",
        ADDRESS,
    )
