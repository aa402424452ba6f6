"""The open day's date on the public pages and the poster comes from the rules (19 June, "6·19",
unless an area sets another day)."""

import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from openday.templatetags.open_day import open_day_date

MAY_20 = json.dumps({"open_day_month": 5, "open_day_day": 20})


@pytest.mark.django_db
def test_the_public_pages_name_the_open_day_of_the_rules(client, settings):
    page = client.get(reverse("openday:index")).content.decode()
    assert "托养机构 · 6·19开放日" in page
    assert "每年6月19日，救助管理站和托养机构向社会开放。" in page
    settings.AUDIT_RULES_OVERRIDES = MAY_20
    page = client.get(reverse("openday:index")).content.decode()
    assert "托养机构 · 5·20开放日" in page
    assert "每年5月20日，救助管理站和托养机构向社会开放。" in page
    assert "6·19" not in page
    assert "6月19日" not in page


def test_the_poster_names_the_open_day_of_the_rules(settings):
    context = {"summary": {"year": 2026}, "entry": {"name": "东湖区社会福利院"}}
    assert '<p class="day">6·19 开放日</p>' in render_to_string("openday/pdf/poster.html", context)
    settings.AUDIT_RULES_OVERRIDES = MAY_20
    assert '<p class="day">5·20 开放日</p>' in render_to_string("openday/pdf/poster.html", context)


def test_in_english_the_open_day_reads_day_then_month(settings):
    with translation.override("en"):
        assert open_day_date() == open_day_date("long") == "19 June"
        settings.AUDIT_RULES_OVERRIDES = MAY_20
        assert open_day_date() == "20 May"
