"""Turns django-simple-history rows into a readable trail: who changed what, when and why."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class TrailRow:
    when: datetime
    who: object
    model: str
    obj: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}[
            self.action
        ]


def _display(record, name: str) -> str:
    value = getattr(record, name, None)
    getter = getattr(record, f"get_{name}_display", None)
    if getter is not None:
        return str(getter())
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return date_format(localtime(value), "Y-m-d H:i")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def trail(histories: list[QuerySet], *, exclude_fields: tuple[str, ...] = ()) -> list[TrailRow]:
    """Rows of several history querysets, newest first, each with its field-by-field changes."""
    rows: list[TrailRow] = []
    for history in histories:
        records = list(history.select_related("history_user").order_by("history_date", "pk"))
        previous = {}
        model = history.model.instance_type
        labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
        for record in records:
            key = record.id if hasattr(record, "id") else record.pk
            changes = []
            before = previous.get(key)
            if before is not None and record.history_type == "~":
                # Many-to-many fields are diffed as through-model rows, which read as noise.
                m2m = [f.name for f in model._meta.many_to_many]
                delta = record.diff_against(before, excluded_fields=[*exclude_fields, *m2m])
                for change in delta.changes:
                    changes.append(
                        Change(
                            labels.get(change.field, change.field),
                            _display(before, change.field),
                            _display(record, change.field),
                        )
                    )
            previous[key] = record
            rows.append(
                TrailRow(
                    when=record.history_date,
                    who=record.history_user,
                    model=str(model._meta.verbose_name),
                    obj=str(record.instance),
                    action=ACTIONS[record.history_type],
                    reason=record.history_change_reason or "",
                    changes=changes,
                )
            )
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows
