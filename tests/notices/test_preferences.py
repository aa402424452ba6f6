"""Each person chooses per kind how notifications reach them: in the application only, mail at
once, or the daily digest; the defaults are shown, and a person without a mail address is told
that mail cannot reach them."""

import pytest
from django.urls import reverse

from audit_portal.notices.kinds import Kind, Mode, default_mode
from audit_portal.notices.models import Preference

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notices:preferences")


def defaults() -> dict[str, str]:
    return {kind.value: default_mode(kind) for kind in Kind}


def test_the_page_shows_every_kind_with_its_default(alice, client):
    client.force_login(alice)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    form = response.context["form"]
    assert {name: form[name].value() for name in form.fields} == defaults()
    page = response.content.decode()
    assert "Incident alert" in page
    assert "Default: Mail at once" in page
    assert "Default: Daily digest by mail" in page
    assert "no mail address" not in page


def test_the_choices_are_saved_and_shown_again(alice, client):
    client.force_login(alice)
    chosen = defaults() | {Kind.ISSUE_RAISED: Mode.MAIL, Kind.INCIDENT_ALERT: Mode.IN_APP}
    response = client.post(SETTINGS, chosen)
    assert response.status_code == 302
    # Only what differs from the defaults is kept.
    assert set(Preference.objects.filter(user=alice).values_list("kind", "mode")) == {
        (Kind.ISSUE_RAISED, Mode.MAIL),
        (Kind.INCIDENT_ALERT, Mode.IN_APP),
    }
    form = client.get(SETTINGS).context["form"]
    assert form[Kind.INCIDENT_ALERT].value() == Mode.IN_APP


def test_an_unknown_choice_is_refused_and_nothing_saved(alice, client):
    client.force_login(alice)
    response = client.post(SETTINGS, defaults() | {Kind.ISSUE_RAISED: "pigeon"})
    assert response.status_code == 200
    assert response.context["form"].errors[Kind.ISSUE_RAISED]
    assert not Preference.objects.exists()


def test_a_person_without_a_mail_address_is_told_only_the_application_reaches_them(dora, client):
    client.force_login(dora)
    page = client.get(SETTINGS).content.decode()
    assert "Your account has no mail address, so no mail can reach you" in page


def test_my_choices_are_mine(alice, bob, client):
    Preference.objects.create(user=bob, kind=Kind.ISSUE_RAISED, mode=Mode.MAIL)
    client.force_login(alice)
    client.post(SETTINGS, defaults())
    assert Preference.objects.filter(user=bob).count() == 1


def test_the_page_takes_only_get_and_post(alice, client):
    client.force_login(alice)
    assert client.put(SETTINGS).status_code == 405
    assert client.delete(SETTINGS).status_code == 405
