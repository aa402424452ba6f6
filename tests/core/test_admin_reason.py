import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit_portal.accounts.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def change_url(org):
    return reverse("admin:accounts_organisation_change", args=[org.pk])


def form_data(org, **extra):
    return {"name": org.name, "code": org.code, "kind": org.kind, "parent": "", **extra}


def test_an_admin_edit_without_a_reason_is_refused(world, client_for):
    org = world.city
    response = client_for("admin").post(change_url(org), form_data(org, name="改名"))
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    org.refresh_from_db()
    assert org.name == "江海市民政局"


def test_an_admin_edit_with_a_reason_is_saved_with_it(world, client_for):
    org = world.city
    response = client_for("admin").post(
        change_url(org), form_data(org, name="江海市民政局（新）", change_reason="更名")
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "江海市民政局（新）"
    latest = org.history.latest()
    assert latest.history_change_reason == "更名"
    assert latest.history_user == world.users["admin"]


def test_regulated_records_cannot_be_deleted_in_the_admin(world, client_for):
    org = OrganisationFactory()
    url = reverse("admin:accounts_organisation_delete", args=[org.pk])
    assert client_for("admin").get(url).status_code == 403


def test_an_admin_edit_goes_through_the_service(world, client_for, monkeypatch):
    from audit_portal.accounts import services

    calls = []
    update = services.organisation_update

    def spy(**kwargs):
        calls.append(kwargs)
        return update(**kwargs)

    monkeypatch.setattr(services, "organisation_update", spy)
    org = world.city
    response = client_for("admin").post(
        change_url(org), form_data(org, phone="0510-1234567", change_reason="新电话")
    )
    assert response.status_code == 302
    assert [(c["organisation"].pk, c["actor"], c["reason"]) for c in calls] == [
        (org.pk, world.users["admin"], "新电话")
    ]
    org.refresh_from_db()
    assert org.phone == "0510-1234567"


def test_an_organisation_added_in_the_admin_is_created_by_the_service(world, client_for):
    response = client_for("admin").post(
        reverse("admin:accounts_organisation_add"),
        {"name": "南湖区民政局", "code": "county-c", "kind": "county", "parent": world.city.pk},
    )
    assert response.status_code == 302
    created = Organisation.objects.get(code="county-c")
    assert created.history.get().history_user == world.users["admin"]


@pytest.mark.parametrize(
    "refusal",
    [ValidationError("服务拒绝了这次修改。"), PermissionDenied()],
    ids=["validation", "permission"],
)
def test_a_refusal_by_the_service_is_shown_and_nothing_is_saved(
    world, client_for, monkeypatch, refusal
):
    from audit_portal.accounts import services

    update = services.organisation_update

    def refuse(**kwargs):
        update(**kwargs)  # saved, then refused: the admin's transaction must undo the save
        raise refusal

    monkeypatch.setattr(services, "organisation_update", refuse)
    org = world.city
    versions = org.history.count()
    logged = LogEntry.objects.count()
    response = client_for("admin").post(
        change_url(org), form_data(org, name="被拒绝的名称", change_reason="测试")
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    expected = "服务拒绝了这次修改。" if isinstance(refusal, ValidationError) else "无权操作"
    assert shown == [expected]
    form = response.context["adminform"].form
    assert form.non_field_errors() == [expected]
    assert form["name"].value() == "被拒绝的名称"  # shown again as posted
    org.refresh_from_db()
    assert org.name == "江海市民政局"
    assert org.history.count() == versions
    assert LogEntry.objects.count() == logged


def test_an_admin_without_a_service_cannot_add_or_change(world, client_for):
    # The appointment procedure has no admin service: its records are read-only there.
    client = client_for("admin")
    assert client.get(reverse("admin:supervisors_appointment_add")).status_code == 403
    url = reverse("admin:supervisors_appointment_change", args=[world.appointment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "change_reason" not in page.content.decode()
