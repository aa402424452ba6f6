"""The inspection report and the rectification notice (整改通知书) as PDF."""

import subprocess

import pytest
from django.urls import reverse

from inspections.models import Issue
from tests.inspections.factories import submitted_inspection


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 - poppler-utils, a listed dependency
        input=response.content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def report(pk: int) -> str:
    return reverse("inspections:inspection_pdf", kwargs={"pk": pk})


def notice(pk: int) -> str:
    return reverse("inspections:notice_pdf", kwargs={"pk": pk})


@pytest.mark.django_db
def test_the_report_shows_the_institution_results_issues_and_signatures(world, client_for):
    text = pdf_text(client_for("county_a_staff").get(report(world.inspection_a.pk)))
    assert "检查报告" in text
    assert "东湖区社会福利院" in text
    assert "东湖区民政局" in text  # the issuing bureau, the team lead's
    assert world.issue_a.number in text and world.issue_a.description in text
    assert "分领域检查结果" in text and "内部管理" in text
    assert "检查组" in text and "机构代表" in text and "签字" in text
    assert "第1页/共" in text.replace(" ", "")
    assert "草稿" not in text


@pytest.mark.django_db
def test_the_notice_lists_the_issues_with_deadlines_and_a_seal_area(world, client_for):
    text = pdf_text(client_for("institution_user").get(notice(world.inspection_a.pk)))
    assert "整改通知书" in text
    assert "东湖区社会福利院：" in text
    assert "《城市生活无着的流浪乞讨人员救助管理办法》" in text.replace("\n", "").replace(" ", "")
    for issue in (world.issue_a, world.issue_a2):
        assert issue.number in text and issue.description in text
        assert issue.deadline.strftime("%Y-%m-%d") in text
    assert "（盖章）" in text and "回执" in text


@pytest.mark.django_db
def test_the_notice_of_a_draft_is_for_staff_only_and_marked_as_draft(world, client_for):
    inspection, _issues = submitted_inspection(world.institution_a, world.users["county_a_staff"])
    assert client_for("institution_user").get(notice(inspection.pk)).status_code == 404
    assert client_for("institution_user").get(report(inspection.pk)).status_code == 404
    text = pdf_text(client_for("county_a_staff").get(notice(inspection.pk)))
    assert "草稿" in text


@pytest.mark.django_db
def test_an_inspection_without_issues_has_no_notice(world, client_for):
    inspection, issues = submitted_inspection(
        world.institution_a, world.users["county_a_staff"], failing=0
    )
    assert issues == []
    assert client_for("county_a_staff").get(notice(inspection.pk)).status_code == 404
    text = pdf_text(client_for("county_a_staff").get(report(inspection.pk)))
    assert "未发现问题" in text


@pytest.mark.django_db
def test_a_deadline_counted_without_official_data_is_footnoted(world, client_for):
    Issue.objects.filter(pk=world.issue_a.pk).update(deadline_official=False)
    text = pdf_text(client_for("county_a_staff").get(notice(world.inspection_a.pk)))
    assert "国务院放假安排尚未发布" in text


@pytest.mark.django_db
def test_outsiders_get_404_and_other_methods_405(world, client_for):
    for persona in ("county_b_staff", "supervisor"):
        assert client_for(persona).get(report(world.inspection_a.pk)).status_code == 404
        assert client_for(persona).get(notice(world.inspection_a.pk)).status_code == 404
    assert client_for("county_a_staff").post(notice(world.inspection_a.pk)).status_code == 405


@pytest.mark.django_db
def test_the_pdf_is_not_cached_and_named_after_its_reference(world, client_for):
    response = client_for("county_a_staff").get(notice(world.inspection_a.pk))
    assert response["Cache-Control"] == "private, no-store"
    assert "rectification-notice-JC" in response["Content-Disposition"]
