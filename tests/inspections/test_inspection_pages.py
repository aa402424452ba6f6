"""The inspection pages, driven through the browser-facing views."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit_portal.core.models import EvidenceFile
from inspections.models import ChecklistTemplate, Inspection, Issue, ItemResult
from tests.files import jpeg_upload
from tests.inspections.factories import default_template, sign_on_site

pytestmark = pytest.mark.django_db


def test_staff_plan_an_inspection(world, client_for):
    url = reverse("inspections:inspection_create", args=[world.institution_a.pk])
    response = client_for("county_a_staff").post(
        url,
        {"kind": "unannounced", "planned_on": "2026-12-01", "template": default_template().pk},
    )
    inspection = Inspection.objects.filter(kind="unannounced").get()
    assert response.status_code == 302
    assert inspection.lead == world.users["county_a_staff"]
    assert inspection.status == "planned"
    assert list(inspection.team.all()) == [world.users["county_a_staff"]]


def test_a_stranger_cannot_be_put_on_the_team(world, client_for):
    url = reverse("inspections:inspection_create", args=[world.institution_a.pk])
    before = Inspection.objects.count()
    response = client_for("county_a_staff").post(
        url,
        {
            "kind": "routine",
            "planned_on": "2026-12-01",
            "template": default_template().pk,
            "team": [world.users["county_b_staff"].pk],
        },
    )
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert Inspection.objects.count() == before


def test_county_staff_cannot_plan_in_another_county(world, client_for):
    url = reverse("inspections:inspection_create", args=[world.institution_b.pk])
    assert client_for("county_a_staff").get(url).status_code == 404


def _record_url(world):
    return reverse("inspections:inspection_record", args=[world.draft_a.pk])


def test_a_nonconforming_result_needs_a_note_and_nothing_typed_is_lost(world, client_for):
    row = world.draft_a.results.order_by("item__position").first()
    other = world.draft_a.results.order_by("item__position")[1]
    response = client_for("county_a_staff").post(
        _record_url(world),
        {
            f"result-{row.pk}": "nonconforming",
            f"result-{other.pk}": "conforms",
            "summary": "总体良好",
        },
    )
    assert response.status_code == 400
    assert "不符合" in response.content.decode()
    other.refresh_from_db()
    assert other.result == ""  # the whole save is atomic
    assert 'value="conforms" checked' in response.content.decode()
    assert "总体良好" in response.content.decode()


def test_results_and_photos_are_saved(world, client_for):
    row = world.draft_a.results.order_by("item__position").first()
    response = client_for("county_a_staff").post(
        _record_url(world),
        {
            f"result-{row.pk}": "nonconforming",
            f"note-{row.pk}": "灭火器过期",
            f"photos-{row.pk}": jpeg_upload(),
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.result, row.note, row.recorded_by) == (
        "nonconforming",
        "灭火器过期",
        world.users["county_a_staff"],
    )
    assert EvidenceFile.objects.filter(owner_id=row.pk, original_name="photo.jpg").exists()


def test_a_result_outside_the_choices_is_refused(world, client_for):
    row = world.draft_a.results.first()
    response = client_for("county_a_staff").post(_record_url(world), {f"result-{row.pk}": "great"})
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.result == ""


def test_submitting_raises_issues_with_the_chosen_severity(world, client_for):
    rows = list(world.draft_a.results.order_by("item__position"))
    for index, row in enumerate(rows):
        row.result = ItemResult.Result.NONCONFORMING if index < 2 else ItemResult.Result.CONFORMS
        row.note = "问题" if index < 2 else ""
        row.save()
    critical, plain = rows[0], rows[1]
    assert critical.item.critical and not plain.item.critical
    sign_on_site(world.draft_a, world.users["county_a_staff"])
    response = client_for("county_a_staff").post(
        reverse("inspections:inspection_submit", args=[world.draft_a.pk]),
        {
            f"severity-{critical.pk}": "general",  # a critical item cannot be general
            f"severity-{plain.pk}": "major",
            f"responsible-{plain.pk}": "王院长",
        },
    )
    assert response.status_code == 302
    assert Issue.objects.get(result=critical).severity == "serious"
    major = Issue.objects.get(result=plain)
    assert (major.severity, major.responsible_person) == ("major", "王院长")
    world.draft_a.refresh_from_db()
    assert world.draft_a.status == "submitted"


def test_the_institution_comments_and_staff_finalise_after(world, client_for):
    url = reverse("inspections:inspection_comment", args=[world.inspection_a.pk])
    client_for("institution_user").post(url, {"comment": "第2项已当场整改"})
    world.inspection_a.refresh_from_db()
    assert world.inspection_a.institution_comment == "第2项已当场整改"
    # Still inside the comment period: finalising early is confirmed on the form.
    client_for("county_a_staff").post(
        reverse("inspections:inspection_finalise", args=[world.inspection_a.pk]),
        {"confirm_early": "1"},
    )
    world.inspection_a.refresh_from_db()
    assert world.inspection_a.status == "final"


def test_staff_cannot_finalise_while_the_institution_may_still_comment(world, client_for):
    client_for("county_a_staff").post(
        reverse("inspections:inspection_finalise", args=[world.inspection_a.pk])
    )
    world.inspection_a.refresh_from_db()
    assert world.inspection_a.status == "commenting"


def test_the_institution_does_not_see_a_draft_or_its_issues(world, client_for):
    client = client_for("institution_user")
    assert (
        client.get(reverse("inspections:inspection_detail", args=[world.draft_a.pk])).status_code
        == 404
    )
    body = client.get(reverse("inspections:inspection_list")).content.decode()
    assert reverse("inspections:inspection_detail", args=[world.draft_a.pk]) not in body


def test_the_checklist_editor_creates_a_new_version_when_in_use(world, client_for):
    template = default_template()
    items = list(template.items.all())
    data = {
        "name": template.name,
        "description": "",
        "reason": "新增一项",
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "300",
    }
    for index, item in enumerate(items):
        data.update(
            {
                f"items-{index}-area": item.area,
                f"items-{index}-text": item.text,
                f"items-{index}-guidance": item.guidance,
            }
        )
        if item.critical:
            data[f"items-{index}-critical"] = "on"
    data.update({f"items-{len(items)}-area": "hygiene", f"items-{len(items)}-text": "洗衣房消毒"})
    response = client_for("city_staff").post(
        reverse("inspections:template_edit", args=[template.pk]), data
    )
    assert response.status_code == 302
    current = ChecklistTemplate.objects.get(code=template.code, status="active")
    assert current.version == template.version + 1
    assert current.items.count() == len(items) + 1
    assert world.draft_a.template_id == template.pk


def test_the_checklist_editor_needs_a_reason(world, client_for):
    template = default_template()
    response = client_for("city_staff").post(
        reverse("inspections:template_edit", args=[template.pk]),
        {
            "name": "x",
            "reason": "",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-area": "hygiene",
            "items-0-text": "x",
        },
    )
    assert response.status_code == 200
    assert ChecklistTemplate.objects.filter(code=template.code).count() == 1


def test_the_gap_list_shows_agreements_without_a_visit_until_one_is_recorded(world, client_for):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)):
        station = client_for("station_staff")
        gaps = station.get(reverse("inspections:visit_list"), {"month": "2026-11"})
        assert world.agreement_a in list(gaps.context["gaps"])
        response = station.post(
            reverse("inspections:visit_create"),
            {
                "agreement": world.agreement_a.pk,
                "performed_on": "2026-11-18",
                "residents_seen": 12,
                "summary": "探视托养人员，生活情况良好",
            },
        )
        assert response.status_code == 302
        visit = Inspection.objects.get(kind="monthly_visit")
        assert (visit.status, visit.agreement, visit.residents_seen) == (
            "final",
            world.agreement_a,
            12,
        )
        gaps = station.get(reverse("inspections:visit_list"), {"month": "2026-11"})
        assert world.agreement_a not in list(gaps.context["gaps"])
        # October had no visit either: it stays listed.
        gaps = station.get(reverse("inspections:visit_list"), {"month": "2026-10"})
        assert world.agreement_a in list(gaps.context["gaps"])


def test_a_visit_in_the_future_is_refused(world, client_for):
    response = client_for("station_staff").post(
        reverse("inspections:visit_create"),
        {
            "agreement": world.agreement_a.pk,
            "performed_on": "2099-01-01",
            "residents_seen": 3,
            "summary": "x",
        },
    )
    assert response.status_code == 200
    assert not Inspection.objects.filter(kind="monthly_visit").exists()
