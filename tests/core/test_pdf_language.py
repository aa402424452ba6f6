"""Official PDFs are issued in Chinese whatever language the person printing them browses in."""

import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 - poppler-utils, a listed dependency
        input=response.content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_user_browses_in_english(world, client_for):
    client = _in_english(client_for("county_a_staff"))
    response = client.get(reverse("inspections:inspection_list"))
    assert response["Content-Language"] == "en"


def test_a_rectification_notice_printed_in_english_comes_out_in_chinese(world, client_for):
    client = _in_english(client_for("county_a_staff"))
    text = _text(client.get(reverse("inspections:notice_pdf", args=[world.inspection_a.pk])))
    assert "整改通知书" in text
    assert "Rectification notice" not in text


def test_an_inspection_report_printed_in_english_comes_out_in_chinese(world, client_for):
    client = _in_english(client_for("county_a_staff"))
    text = _text(client.get(reverse("inspections:inspection_pdf", args=[world.inspection_a.pk])))
    assert "检查报告" in text
