import pytest
from django.urls import reverse

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
