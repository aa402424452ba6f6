"""Filling in a monthly status report: the pre-fill, the form's refusals, drafts and submission."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections.models import MonthlyReport, ResidentCategory
from inspections.models.reports import FIGURES
from inspections.services import reports as services
from tests.inspections.report_helpers import (
    REPORT_TIME,
    balanced,
    build_world_at_report_time,
    file_report,
    line,
)
from tests.shared_state import shared

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
MARCH, FEBRUARY = datetime.date(2026, 3, 1), datetime.date(2026, 2, 1)
CREATE = reverse("inspections:report_create")


@pytest.fixture
@shared(build_world_at_report_time)
def world(_shared_states, db):
    with time_machine.travel(REPORT_TIME, tick=False):
        yield _shared_states.copy(build_world_at_report_time)


def form_data(**overrides) -> dict:
    data = {"staff_on_duty": 9, "notes": "本月无异常"}
    for category in ResidentCategory:
        for name in FIGURES:
            data[f"{category}__{name}"] = 0
    data.update(
        {
            "elderly__start": 15,
            "elderly__admitted": 2,
            "elderly__discharged": 1,
            "elderly__end": 16,
            "disabled__start": 15,
            "disabled__end": 15,
            "disabled__long_stay": 4,
        }
    )
    data.update(overrides)
    return data


def test_the_form_prefills_the_start_from_last_months_end_figures(world, client_for):
    user = world.users["institution_user"]
    with time_machine.travel(NOW, tick=False):
        file_report(
            world.institution_a,
            user,
            datetime.date(2025, 6, 1),
            balanced(elderly=line(15, 1, 4), minors=line(3, 1), mental_illness=line(2, 0, 2)),
        )
    response = client_for("institution_user").get(CREATE, {"month": "2025-07"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["elderly__start"].value() == 12
    assert form["minors__start"].value() == 4
    assert form["disabled__start"].value() == 0
    assert form["mental_illness__start"].value() == 0
    assert form["elderly__admitted"].value() == 0
    # A month without movements balances as it stands.
    assert form["elderly__end"].value() == 12
    assert form["minors__end"].value() == 4


def test_a_report_of_the_world_starts_where_the_month_before_ended(world):
    starts = {line_.category: line_.start for line_ in world.monthly_report_a.lines.all()}
    ends = {line_.category: line_.end for line_ in world.accepted_monthly_report_a.lines.all()}
    assert starts == ends


def test_without_last_months_report_the_start_figures_are_zero_and_the_user_is_told(
    world, client_for
):
    response = client_for("institution_user").get(CREATE, {"month": "2025-06"})
    assert response.status_code == 200
    assert response.context["form"]["elderly__start"].value() == 0
    assert "上月" in response.content.decode()


def test_an_institution_saves_a_draft_and_is_shown_the_checks(world, client_for):
    client = client_for("institution_user")
    with time_machine.travel(NOW, tick=False):
        response = client.post(f"{CREATE}?month=2025-06", form_data())
    report = MonthlyReport.objects.get(institution=world.institution_a, month="2025-06-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:report_detail", args=[report.pk])
    assert report.status == "draft" and report.first_submitted_at is None
    assert report.staff_on_duty == 9
    elderly = report.lines.get(category="elderly")
    assert (elderly.start, elderly.admitted, elderly.discharged, elderly.end) == (15, 2, 1, 16)
    assert report.lines.count() == 4
    page = client.get(response["Location"])
    assert "一致性核查" in page.content.decode()
    assert "submit" in page.context["actions"]


def test_extra_post_fields_are_ignored(world, client_for):
    client_for("institution_user").post(
        f"{CREATE}?month=2025-06",
        form_data(status="accepted", days_late=0, institution=world.institution_b.pk),
    )
    report = MonthlyReport.objects.get(month="2025-06-01")
    assert report.status == "draft"
    assert report.institution == world.institution_a


def test_a_negative_figure_is_refused_in_chinese_and_nothing_is_saved(world, client_for):
    response = client_for("institution_user").post(
        f"{CREATE}?month=2025-06", form_data(elderly__admitted=-1)
    )
    assert response.status_code == 400
    assert "确保该值大于或等于0" in response.content.decode()
    assert not MonthlyReport.objects.filter(month="2025-06-01").exists()


def test_more_long_stayers_than_residents_at_the_end_is_refused(world, client_for):
    response = client_for("institution_user").post(
        f"{CREATE}?month=2025-06", form_data(disabled__long_stay=16)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["disabled__long_stay"]
    assert not MonthlyReport.objects.filter(month="2025-06-01").exists()


def test_the_long_stay_column_and_its_refusals_name_the_months_of_the_rules(
    world, client_for, settings
):
    client = client_for("institution_user")
    assert "滞留超过3个月" in client.get(f"{CREATE}?month=2025-06").content.decode()
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"long_stay_months": 6})
    page = client.get(f"{CREATE}?month=2025-06").content.decode()
    assert "滞留超过6个月" in page
    assert "滞留超过3个月" not in page
    response = client.post(f"{CREATE}?month=2025-06", form_data(disabled__long_stay=16))
    refusal = "滞留超过6个月的人数不能多于月末在院人数。"
    assert response.context["form"].errors["disabled__long_stay"] == [refusal]
    line_ = world.monthly_report_a.lines.first()
    line_.long_stay = line_.end + 1
    with pytest.raises(ValidationError) as refused:
        line_.clean()
    assert refused.value.message_dict["long_stay"] == [refusal]


def test_the_database_refuses_negative_figures_and_long_stayers_over_the_end(world):
    from django.db import IntegrityError, transaction

    line_ = world.monthly_report_a.lines.first()
    for field, value in (("admitted", -1), ("long_stay", line_.end + 1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            type(line_).objects.filter(pk=line_.pk).update(**{field: value})


def test_a_month_that_has_not_begun_cannot_be_reported(world):
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError):
        file_report(world.institution_a, world.users["institution_user"], datetime.date(2026, 4, 1))


def test_only_the_institutions_own_account_files(world):
    for persona in ("station_staff", "admin", "county_a_staff"):
        with pytest.raises(PermissionDenied):
            file_report(world.institution_a, world.users[persona], datetime.date(2025, 6, 1))


def test_submitting_fixes_the_time_and_locks_the_figures(world, client_for):
    client = client_for("institution_user")
    draft = world.draft_monthly_report_a
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("inspections:report_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == "submitted"
    assert draft.first_submitted_at == NOW and draft.submitted_by == world.users["institution_user"]
    assert draft.days_late == 0
    edit = client.get(reverse("inspections:report_edit", args=[draft.pk]))
    assert edit.status_code == 302
    with pytest.raises(ValidationError):
        services.report_save_draft(
            institution=world.institution_a,
            month=MARCH,
            actor=world.users["institution_user"],
            lines=balanced(elderly=line(1)),
            staff_on_duty=1,
        )


def test_staff_see_a_report_only_once_it_is_submitted(world, client_for):
    url = reverse("inspections:report_detail", args=[world.draft_monthly_report_a.pk])
    assert client_for("station_staff").get(url).status_code == 404
    with time_machine.travel(NOW, tick=False):
        services.report_submit(
            report=world.draft_monthly_report_a, actor=world.users["institution_user"]
        )
    assert client_for("station_staff").get(url).status_code == 200


def test_the_institution_sees_its_months_with_the_overdue_ones_marked(world, client_for):
    with time_machine.travel(NOW, tick=False):
        response = client_for("institution_user").get(reverse("inspections:report_list"))
    rows = {row["month"]: row for row in response.context["rows"]}
    assert rows[MARCH]["report"] == world.draft_monthly_report_a and not rows[MARCH]["overdue"]
    assert rows[FEBRUARY]["report"] == world.monthly_report_a
    # The agreement started in January 2025: December 2025 is owed and was never sent.
    assert rows[datetime.date(2025, 12, 1)]["overdue"]
