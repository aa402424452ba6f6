"""Regulated records (``audit_portal.core.models.Regulated``): history on every one, and a reason
required for a change exactly where the domain asks for one."""

from django.apps import apps

from audit_portal.core.models import Regulated
from inspections.models import DeadlineExtension, Rectification

# The records whose changes keep a history but need no reason (derived rows, calendars, public
# registrations, the supervisor's own suggestions...): every other regulated record needs one.
NO_REASON = {
    "incidents.CasualtyChange",
    "incidents.Forwarding",
    "incidents.RegulatorReport",
    "incidents.Alert",
    "inspections.WorkCalendarYear",
    "inspections.WorkCalendarDay",
    "inspections.ChecklistItem",
    "inspections.ItemResult",
    "inspections.Inspection",
    "openday.SummaryEntry",
    "openday.Registration",
    "supervisors.Suggestion",
    "supervisors.VettingFinding",
    "supervisors.Event",
    "accounts.User",
    # A group robot's address is a setting: its history says who changed it and when.
    "notices.GroupRobot",
}


def regulated_models():
    return [
        m
        for m in apps.get_models()
        if hasattr(m, "history") and not m.__name__.startswith("Historical")
    ]


def label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_model_with_a_history_asks_for_a_reason_unless_listed():
    for model in regulated_models():
        assert getattr(model, "REASON_REQUIRED", False) == (label(model) not in NO_REASON), label(
            model
        )


def test_the_regulated_base_gives_each_record_its_own_history_table():
    subclasses = [m for m in regulated_models() if issubclass(m, Regulated)]
    assert len(subclasses) >= 30
    tables = {m.history.model._meta.db_table for m in subclasses}
    assert len(tables) == len(subclasses)
    assert Rectification.history.model._meta.db_table == "inspections_historicalrectification"


def test_a_decision_records_who_when_and_why(world):
    extension = world.extension_a
    assert extension.is_pending
    extension.record_decision("refused", actor=world.users["county_a_staff"], reason=" 理由 ")
    assert not extension.is_pending
    assert extension.decided_by == world.users["county_a_staff"]
    assert extension.decided_at is not None and extension.decision_reason == "理由"
    assert isinstance(extension, DeadlineExtension)
