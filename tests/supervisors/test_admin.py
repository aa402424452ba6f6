"""The admin shows a supervisor's full ID number (administrators correct typing mistakes there),
so every admin page that can show it is logged like the roster's "show full number"."""

import pytest
from django.urls import reverse

from supervisors.models import IdNumberView

pytestmark = pytest.mark.django_db


def test_opening_a_supervisor_in_the_admin_is_logged(world, client_for):
    record = world.supervisor_record
    page = client_for("admin").get(reverse("admin:supervisors_supervisor_change", args=[record.pk]))
    assert page.status_code == 200
    assert record.id_number in page.content.decode()
    view = IdNumberView.objects.get()
    assert (view.supervisor, view.viewer) == (record, world.users["admin"])


def test_the_admin_history_pages_are_logged(world, client_for):
    record = world.supervisor_record
    client = client_for("admin")
    history = client.get(reverse("admin:supervisors_supervisor_history", args=[record.pk]))
    assert history.status_code == 200
    version = record.history.first()
    form = client.get(
        reverse("admin:supervisors_supervisor_simple_history", args=[record.pk, version.history_id])
    )
    assert form.status_code == 200
    assert IdNumberView.objects.filter(supervisor=record).count() == 2


def test_the_admin_list_shows_masked_numbers_and_is_not_logged(world, client_for):
    record = world.supervisor_record
    page = client_for("admin").get(reverse("admin:supervisors_supervisor_changelist"))
    assert record.masked_id_number in page.content.decode()
    assert record.id_number not in page.content.decode()
    assert not IdNumberView.objects.exists()
