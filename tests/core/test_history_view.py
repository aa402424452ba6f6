"""The history trail reads as a person would tell it: names not usernames, figures not
dictionaries, no empty rows, and a monthly report's line changes in the report's own entry."""

import pytest

from audit_portal.core.history import save_audited
from audit_portal.core.history_view import trail
from inspections.models import Inspection, MonthlyReport, MonthlyReportLine
from inspections.services.reports import report_review, report_save_draft
from openday.models import Summary
from tests.inspections.report_helpers import balanced, line

pytestmark = pytest.mark.django_db


def _report_trail(report):
    return trail(
        [MonthlyReport.history.filter(id=report.pk)],
        parts=[
            (
                MonthlyReportLine.history.filter(report_id=report.pk),
                lambda line: line.get_category_display(),
            )
        ],
    )


def test_a_report_s_line_changes_are_listed_in_one_entry_of_the_report(world):
    draft = world.draft_monthly_report_a
    report_save_draft(
        institution=draft.institution,
        month=draft.month,
        actor=world.users["institution_user"],
        lines=balanced(elderly=line(15, 2, 1), disabled=line(15, 1)),
        staff_on_duty=8,
    )
    rows = _report_trail(draft)
    assert {row.model for row in rows} == {str(MonthlyReport._meta.verbose_name)}
    edit = rows[0]
    fields = [change.field for change in edit.changes]
    assert any(field.startswith("老年人 · ") for field in fields), fields
    assert any(field.startswith("残疾人 · ") for field in fields), fields
    # The creation is one entry too, not one per category.
    assert [row.action for row in rows].count("created") == 1


def test_a_json_field_reads_as_the_figures_that_changed(world):
    summary = world.draft
    summary.area = {**summary.area, "beds": summary.area.get("beds", 0) + 60}
    save_audited(summary, actor=world.users["city_staff"], reason="更正床位数")
    row = trail([Summary.history.filter(id=summary.pk)])[0]
    assert [change.field for change in row.changes] == ["全区数据 · 床位"]
    assert "{" not in row.changes[0].old + row.changes[0].new


def test_figures_computed_into_an_empty_field_read_as_one_line(world):
    rows = trail([Summary.history.filter(id=world.draft.pk)])
    text = " ".join(f"{c.field} {c.old} {c.new}" for row in rows for c in row.changes)
    assert "{" not in text and "'" not in text


def test_a_save_that_changed_nothing_with_the_same_reason_is_no_row(world):
    # History rows are append-only (a PostgreSQL trigger): the saves are made, not edited.
    inspection = world.draft_a
    staff = world.users["county_a_staff"]
    rows = lambda: trail([Inspection.history.filter(id=inspection.pk)])  # noqa: E731
    save_audited(inspection, actor=staff, reason="计划调整")
    shown = len(rows())
    save_audited(inspection, actor=staff, reason="计划调整")  # the same again: nothing new
    assert len(rows()) == shown
    save_audited(inspection, actor=staff, reason="核对检查组")  # a reason of its own is an event
    assert len(rows()) == shown + 1
    assert "核对检查组" in [row.reason for row in rows()]


def test_a_person_named_in_a_change_is_shown_by_name_and_organisation(world):
    report = world.monthly_report_a
    station = world.users["station_staff"]
    report_review(report=report, actor=station, accept=True)
    rows = trail([MonthlyReport.history.filter(id=report.pk)])
    label = str(MonthlyReport._meta.get_field("reviewed_by").verbose_name)
    reviewed = [c for row in rows for c in row.changes if c.field == label]
    assert reviewed, [c.field for row in rows for c in row.changes]
    assert reviewed[0].new == f"{station.get_full_name()}（{station.organisation}）"
    assert station.username not in reviewed[0].new


def test_the_reasons_the_system_gives_read_in_the_readers_language():
    from django.utils import translation

    from audit_portal.core.history_view import shown_reason

    with translation.override("zh-hans"):
        assert shown_reason("created by the system") == "由系统创建"
        assert shown_reason("created by manage.py seed_demo") == "由命令 manage.py seed_demo 创建"
        assert shown_reason("created by openday:summary_create") == (
            "在页面 openday:summary_create 创建"
        )
        # A person's own words are shown as written, even when they begin the same way.
        assert shown_reason("created by mistake, see the note") == (
            "created by mistake, see the note"
        )
