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


def test_trainings_and_suggestions_are_in_the_admin_with_their_history(world, client_for):
    import datetime

    from supervisors.models import Event, Suggestion

    event = Event.objects.create(
        kind="training", title="业务培训", held_on=datetime.date(2026, 5, 1)
    )
    suggestion = Suggestion.objects.create(
        supervisor=world.supervisor_record, made_on=datetime.date(2026, 5, 2), text="建议"
    )
    client = client_for("admin")
    for model, obj in (("event", event), ("suggestion", suggestion)):
        assert client.get(reverse(f"admin:supervisors_{model}_changelist")).status_code == 200
        change = reverse(f"admin:supervisors_{model}_change", args=[obj.pk])
        assert client.get(change).status_code == 200
        history = reverse(f"admin:supervisors_{model}_history", args=[obj.pk])
        assert client.get(history).status_code == 200
        delete = reverse(f"admin:supervisors_{model}_delete", args=[obj.pk])
        assert client.get(delete).status_code == 403


def test_the_vetting_findings_show_on_the_appointment(world, client_for):
    from supervisors import services
    from supervisors.models import VettingFinding

    findings = {c: (True, f"考察意见{n}") for n, c in enumerate(VettingFinding.Condition)}
    services.appointment_vet(
        appointment=world.appointment, findings=findings, actor=world.users["city_staff"]
    )
    url = reverse("admin:supervisors_appointment_change", args=[world.appointment.pk])
    page = client_for("admin").get(url).content.decode()
    assert "考察意见0" in page and "考察意见5" in page


def test_each_full_view_is_logged_once_by_the_one_logging_function(world, client_for, monkeypatch):
    """The admin and the roster's "show full number" log through the same service function,
    one row per page shown; saving an edit in the admin is not a view."""
    from supervisors import services

    record = world.supervisor_record
    logged_for = []
    log = services.id_number_view_log

    def spy(*, supervisor, viewer):
        logged_for.append(viewer)
        return log(supervisor=supervisor, viewer=viewer)

    # The admin calls it through the package, the roster's reveal from its own module.
    monkeypatch.setattr(services, "id_number_view_log", spy)
    monkeypatch.setattr(services.people, "id_number_view_log", spy)
    admin_user, city = world.users["admin"], world.users["city_staff"]
    url = reverse("admin:supervisors_supervisor_change", args=[record.pk])
    client = client_for("admin")

    form = client.get(url).context["adminform"].form
    assert IdNumberView.objects.filter(supervisor=record, viewer=admin_user).count() == 1
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(birth_date=record.birth_date.isoformat(), change_reason="更正工作单位")
    data.update(employer="江海市第二人民医院")
    assert client.post(url, data).status_code == 302
    assert IdNumberView.objects.count() == 1

    reveal = client_for("city_staff").post(
        reverse("supervisors:supervisor_id_number", args=[record.pk])
    )
    assert record.id_number in reveal.content.decode()
    assert logged_for == [admin_user, city]
    assert IdNumberView.objects.count() == 2
