"""A robot's address is checked when it is saved: only the robot services' hosts, over https,
so the server can never be made to post anywhere else on the network."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit_portal.notices import channels, services
from audit_portal.notices.models import GroupRobot

pytestmark = pytest.mark.django_db

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=a1b2c3"


@pytest.mark.parametrize("url", [WECOM, DINGTALK])
def test_the_robot_services_addresses_are_accepted(url):
    channels.robot_url_check(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1", "须以 https:// 开头"),
        ("https://example.com/hook", "不是群机器人地址"),
        ("https://qyapi.weixin.qq.com.evil.example/send", "不是群机器人地址"),
        ("https://127.0.0.1/admin/", "不是群机器人地址"),
        ("https://10.0.0.8/internal", "不是群机器人地址"),
        ("ftp://qyapi.weixin.qq.com/send", "完整网址"),
        ("qyapi.weixin.qq.com/send", "完整网址"),
        ("", "完整网址"),
    ],
)
def test_other_addresses_are_refused_with_a_clear_message(url, message):
    with pytest.raises(ValidationError) as refused:
        channels.robot_url_check(url)
    assert message in refused.value.messages[0]


def test_the_refusal_names_the_allowed_hosts():
    with pytest.raises(ValidationError) as refused:
        channels.robot_url_check("https://example.com/hook")
    assert "oapi.dingtalk.com, qyapi.weixin.qq.com" in refused.value.messages[0]


def test_saving_a_refused_address_puts_the_message_on_the_address(admin_user, county):
    with pytest.raises(ValidationError) as refused:
        services.robot_save(
            organisation=county,
            flavour=GroupRobot.Flavour.WECOM,
            url="https://example.com/hook",
            active=True,
            actor=admin_user,
        )
    assert list(refused.value.error_dict) == ["url"]
    assert not GroupRobot.objects.exists()


def test_saving_without_a_new_address_keeps_the_old_one(admin_user, county):
    services.robot_save(
        organisation=county, flavour="wecom", url=WECOM, active=True, actor=admin_user
    )
    robot = services.robot_save(
        organisation=county, flavour="dingtalk", url="", active=False, actor=admin_user
    )
    robot.refresh_from_db()
    assert (robot.flavour, robot.url, robot.active) == ("dingtalk", WECOM, False)
    # Who set it, in the history.
    assert robot.history.first().history_user == admin_user


def test_a_first_robot_needs_an_address(admin_user, county):
    with pytest.raises(ValidationError):
        services.robot_save(
            organisation=county, flavour="wecom", url="", active=True, actor=admin_user
        )


def test_only_an_administrator_sets_a_robot(alice, county):
    with pytest.raises(PermissionDenied):
        services.robot_save(
            organisation=county, flavour="wecom", url=WECOM, active=True, actor=alice
        )
