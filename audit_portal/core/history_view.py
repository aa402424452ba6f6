"""Turns django-simple-history rows into a readable trail: who changed what, when and why."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from audit_portal.core.fields import BlindIndexField, EncryptedMixin

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


def _display(record, name: str, related: dict) -> str:
    field = record._meta.get_field(name)
    if field.is_relation and field.many_to_one:
        # A related object by its label, read with the others (``_related_labels``), not one
        # query per row.
        value = getattr(record, field.attname)
        if value is None:
            return "—"
        return related.get((field.related_model, value), str(value))
    value = getattr(record, name, None)
    getter = getattr(record, f"get_{name}_display", None)
    if getter is not None:
        return str(getter())
    if value is None or value == "":
        return "—"
    if isinstance(field, EncryptedMixin):
        # Personal data: the trail says that it changed, never what it is.
        return field.masked(str(value))
    if isinstance(value, datetime):
        return date_format(localtime(value), "Y-m-d H:i")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _related_labels(pending: list[tuple]) -> dict:
    """The labels of the related objects named in the changes, one query per related model."""
    wanted: dict = {}
    for _model, before, record, name in pending:
        field = record._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            for version in (before, record):
                value = getattr(version, field.attname)
                if value is not None:
                    wanted.setdefault(field.related_model, set()).add(value)
    labels = {}
    for related_model, ids in wanted.items():
        for obj in related_model._base_manager.filter(pk__in=ids):
            labels[(related_model, obj.pk)] = str(obj)
    return labels


def trail(histories: list[QuerySet], *, exclude_fields: tuple[str, ...] = ()) -> list[TrailRow]:
    """Rows of several history querysets, newest first, each with its field-by-field changes.

    The queries do not grow with the rows: each object's label is read once (from its latest
    version) and the related objects named in the changes once per model."""
    rows: list[TrailRow] = []
    pending: list[tuple] = []
    for history in histories:
        records = list(history.select_related("history_user").order_by("history_date", "pk"))
        previous = {}
        latest = {}
        model = history.model.instance_type
        labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
        m2m = [f.name for f in model._meta.many_to_many]
        # A blind index changes with its encrypted field, whose change is listed already.
        digests = [f.name for f in model._meta.fields if isinstance(f, BlindIndexField)]
        these: list[tuple] = []
        for record in records:
            key = record.id if hasattr(record, "id") else record.pk
            changes = []
            before = previous.get(key)
            if before is not None and record.history_type == "~":
                # Many-to-many fields are diffed as through-model rows, which read as noise.
                delta = record.diff_against(
                    before, excluded_fields=[*exclude_fields, *m2m, *digests]
                )
                for change in delta.changes:
                    changes.append(Change(labels.get(change.field, change.field), "", ""))
                    pending.append((changes[-1], before, record, change.field))
            previous[key] = record
            latest[key] = record
            row = TrailRow(
                when=record.history_date,
                who=record.history_user,
                model=str(model._meta.verbose_name),
                obj="",
                action=ACTIONS[record.history_type],
                reason=record.history_change_reason or "",
                changes=changes,
            )
            these.append((key, row))
        names = {key: str(record.instance) for key, record in latest.items()}
        for key, row in these:
            row.obj = names[key]
            rows.append(row)
    related = _related_labels(pending)
    for change, before, record, name in pending:
        change.old = _display(before, name, related)
        change.new = _display(record, name, related)
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows
