import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "template", "heading"),
    [
        ("admin", "home/admin.html", "系统管理"),
        ("city_staff", "home/staff.html", "江海市民政局"),
        ("county_a_staff", "home/staff.html", "东湖区民政局"),
        ("supervisor", "home/supervisor.html", "特邀监督员"),
        ("institution_user", "home/institution.html", "机构工作台"),
    ],
)
def test_each_role_gets_its_own_home_page_in_chinese(client_for, persona, template, heading):
    response = client_for(persona).get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert heading in response.content.decode()


def test_the_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_county_staff_do_not_see_the_other_county(client_for):
    page = client_for("county_a_staff").get(reverse("home")).content.decode()
    assert "东湖区民政局" in page
    assert "西山县民政局" not in page


def test_the_page_can_switch_to_english(client_for):
    client = client_for("city_staff")
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Log out" in page


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client_for):
    client = client_for("city_staff")
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in page


def test_the_stylesheet_and_icon_are_served_locally(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "https://" not in page and "http://" not in page  # no CDN: intranets are offline
    for path in ("/static/css/app.css", "/static/img/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
