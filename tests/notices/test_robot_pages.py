"""The group robots page: system administrators set, change, remove and test each
organisation's robot; a refused address is explained on its field; everyone else gets 403."""

import pytest
from django.urls import reverse

from audit_portal.notices.models import Delivery, GroupRobot

pytestmark = pytest.mark.django_db

ROBOTS = reverse("notices:robots")
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6"


def edit(organisation):
    return reverse("notices:robot_edit", args=[organisation.pk])


def test_the_administrator_sees_every_organisation_and_its_robot(
    admin_user, city, county, other_county, client
):
    GroupRobot.objects.create(organisation=county, flavour="wecom", url=WECOM)
    client.force_login(admin_user)
    response = client.get(ROBOTS)
    assert response.status_code == 200
    assert {o.pk for o in response.context["page"].object_list} >= {
        city.pk,
        county.pk,
        other_county.pk,
    }
    page = response.content.decode()
    assert "qyapi.weixin.qq.com" in page
    # The address is a secret: never shown back.
    assert "693a91f6" not in page
    assert reverse("notices:robot_test", args=[county.pk]) in page
    assert reverse("notices:robot_test", args=[city.pk]) not in page


def test_the_administrator_sets_a_robot(admin_user, county, client):
    client.force_login(admin_user)
    assert client.get(edit(county)).status_code == 200
    response = client.post(edit(county), {"flavour": "dingtalk", "url": WECOM, "active": "on"})
    assert response.status_code == 302
    robot = GroupRobot.objects.get(organisation=county)
    assert (robot.flavour, robot.url, robot.active) == ("dingtalk", WECOM, True)
    assert robot.history.first().history_user == admin_user


def test_a_refused_address_is_explained_on_its_field(admin_user, county, client):
    client.force_login(admin_user)
    response = client.post(edit(county), {"flavour": "wecom", "url": "https://example.com/hook"})
    assert response.status_code == 200
    [message] = response.context["form"].errors["url"]
    assert "This is not a group robot's address. Allowed hosts:" in message
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not GroupRobot.objects.exists()


def test_changing_a_robot_keeps_its_address_unless_a_new_one_is_given(admin_user, county, client):
    GroupRobot.objects.create(organisation=county, flavour="wecom", url=WECOM)
    client.force_login(admin_user)
    page = client.get(edit(county)).content.decode()
    assert "693a91f6" not in page
    client.post(edit(county), {"flavour": "wecom", "url": ""})
    robot = GroupRobot.objects.get(organisation=county)
    assert (robot.url, robot.active) == (WECOM, False)


def test_the_administrator_removes_a_robot(admin_user, county, client):
    GroupRobot.objects.create(organisation=county, flavour="wecom", url=WECOM)
    client.force_login(admin_user)
    response = client.post(reverse("notices:robot_remove", args=[county.pk]))
    assert response.status_code == 302
    assert not GroupRobot.objects.exists()


def test_a_test_message_is_sent_and_logged(
    admin_user, county, client, robot_server, django_capture_on_commit_callbacks
):
    GroupRobot.objects.create(organisation=county, flavour="wecom", url=robot_server.path())
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notices:robot_test", args=[county.pk]))
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.organisation, delivery.status) == (
        Delivery.Channel.WEBHOOK,
        county,
        Delivery.Status.SENT,
    )
    [request] = robot_server.received
    assert "测试消息" in request["json"]["markdown"]["content"]
    # A second test is a message of its own.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:robot_test", args=[county.pk]))
    assert Delivery.objects.count() == 2


def test_testing_without_a_robot_says_why(admin_user, county, client):
    client.force_login(admin_user)
    response = client.post(reverse("notices:robot_test", args=[county.pk]), follow=True)
    assert "This organisation has no group robot." in response.content.decode()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "dora"])
def test_nobody_else_sets_robots(persona, county, client, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ROBOTS).status_code == 403
    assert client.get(edit(county)).status_code == 403
    response = client.post(edit(county), {"flavour": "wecom", "url": WECOM, "active": "on"})
    assert response.status_code == 403
    assert client.post(reverse("notices:robot_test", args=[county.pk])).status_code == 403
    assert client.post(reverse("notices:robot_remove", args=[county.pk])).status_code == 403
    assert not GroupRobot.objects.exists()


def test_the_buttons_need_a_post(admin_user, county, client):
    client.force_login(admin_user)
    assert client.get(reverse("notices:robot_remove", args=[county.pk])).status_code == 405
    assert client.get(reverse("notices:robot_test", args=[county.pk])).status_code == 405
    assert client.post(ROBOTS).status_code == 405


def test_an_unknown_organisation_is_not_found(admin_user, client):
    client.force_login(admin_user)
    assert client.get(reverse("notices:robot_edit", args=[999999])).status_code == 404
