"""Turns django-simple-history rows into a readable trail: who changed what, when and why."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import JSONField, QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from audit_portal.core.fields import BlindIndexField, EncryptedMixin

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

# How many keys of a JSON field's diff are listed before "and n more".
JSON_KEYS_SHOWN = 8
# Rows of one object's parts (a report's lines) written within this of a row of the object, by
# the same person, are the same piece of work: one save in one transaction.
SAME_WORK = timedelta(seconds=2)


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


def shown_reason(reason: str) -> str:
    """A history row's reason as the reader's language says it: the reasons the system gives a
    creation row (``core.history.creation_reason``) are stored in English, as data naming code;
    every other reason is a person's words, shown as written."""
    if reason == "created by the system":
        return _("Created by the system")
    if reason.startswith("created by manage.py "):
        return _("Created by the command %(command)s") % {
            "command": reason.removeprefix("created by ")
        }
    if reason.startswith("created by ") and " " not in reason.removeprefix("created by "):
        return _("Created on the page %(page)s") % {"page": reason.removeprefix("created by ")}
    return reason


def _person(user) -> str:
    """A person by name, with the organisation when known; never the username."""
    name = user.get_full_name()
    organisation = user.organisation if getattr(user, "organisation_id", None) else None
    return f"{name}（{organisation}）" if organisation is not None else name


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(_plain(item) for item in value) or "—"
    return str(value)


def _flatten(value, prefix: tuple = ()) -> dict[tuple, object]:
    if isinstance(value, dict):
        flat: dict[tuple, object] = {}
        for key, item in value.items():
            flat.update(_flatten(item, (*prefix, str(key))))
        return flat
    return {prefix: value}


def _json_changes(label: str, old, new, key_labels: dict) -> list[Change]:
    """A JSON field's change as the keys that changed, one line each (``全区数据 · 床位: 400 →
    460``), never the raw dictionaries. Filling an empty field reads as one line."""
    old, new = old or {}, new or {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [Change(label, _plain(old), _plain(new))]
    before, after = _flatten(old), _flatten(new)
    if not before and after:
        return [Change(label, "—", _("%(n)d values recorded") % {"n": len(after)})]
    if before and not after:
        return [Change(label, _("%(n)d values") % {"n": len(before)}, "—")]
    keys = [key for key in {**before, **after} if before.get(key) != after.get(key)]
    changes = [
        Change(
            " · ".join([label, *(str(key_labels.get(part, part)) for part in key)]),
            _plain(before.get(key)),
            _plain(after.get(key)),
        )
        for key in keys[:JSON_KEYS_SHOWN]
    ]
    if len(keys) > JSON_KEYS_SHOWN:
        more = len(keys) - JSON_KEYS_SHOWN
        changes.append(Change(_("and %(n)d more") % {"n": more}, "", ""))
    return changes


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
    return _plain(value)


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
    user_model = get_user_model()
    for related_model, ids in wanted.items():
        objects = related_model._base_manager.filter(pk__in=ids)
        if related_model is user_model:
            for user in objects.select_related("organisation"):
                labels[(related_model, user.pk)] = _person(user)
            continue
        for obj in objects:
            labels[(related_model, obj.pk)] = str(obj)
    return labels


def _rows(history: QuerySet, exclude_fields, pending: list, label: Callable | None = None):
    """(key, row, record) for each version of the objects of one history, with its changes;
    ``label`` names a part (a report's line) and prefixes its changes."""
    records = list(
        history.select_related("history_user__organisation").order_by("history_date", "pk")
    )
    model = history.model.instance_type
    labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
    json_fields = {f.name for f in model._meta.fields if isinstance(f, JSONField)}
    key_labels = getattr(model, "history_json_labels", {})
    m2m = [f.name for f in model._meta.many_to_many]
    # A blind index changes with its encrypted field, whose change is listed already.
    digests = [f.name for f in model._meta.fields if isinstance(f, BlindIndexField)]
    previous: dict = {}
    rows = []
    for record in records:
        key = record.id if hasattr(record, "id") else record.pk
        prefix = f"{label(record)} · " if label is not None else ""
        changes: list[Change] = []
        before = previous.get(key)
        if before is not None and record.history_type == "~":
            # Many-to-many fields are diffed as through-model rows, which read as noise.
            delta = record.diff_against(before, excluded_fields=[*exclude_fields, *m2m, *digests])
            for change in delta.changes:
                name = prefix + labels.get(change.field, change.field)
                if change.field in json_fields:
                    changes.extend(
                        _json_changes(
                            name, change.old, change.new, key_labels.get(change.field, {})
                        )
                    )
                    continue
                changes.append(Change(name, "", ""))
                pending.append((changes[-1], before, record, change.field))
        row = TrailRow(
            when=record.history_date,
            who=record.history_user,
            model=str(model._meta.verbose_name),
            obj="",
            action=ACTIONS[record.history_type],
            reason=shown_reason(record.history_change_reason or ""),
            changes=changes,
        )
        # A save that changed nothing, right after another version with the same reason (or
        # none), is no event of its own: the "changed" row with nothing in it after a creation.
        noise = (
            record.history_type == "~"
            and not changes
            and before is not None
            and (not row.reason or row.reason == (before.history_change_reason or ""))
        )
        previous[key] = record
        if not noise:
            rows.append((key, row, record))
    return rows, {key: str(record.instance) for key, record in previous.items()}


def _fold(rows: list[TrailRow], parts: list[TrailRow], model: str, obj: str) -> None:
    """Fold the rows of an object's parts into the object's own rows: a report's line changes
    belong to the report's entry, not one row per line. A part row joins the object's row of
    the same person written at the same time; parts changed on their own join each other."""
    own = [row for row in rows if row.model == model]
    for part in sorted(parts, key=lambda row: row.when):
        candidates = [
            row for row in own if row.who == part.who and abs(row.when - part.when) <= SAME_WORK
        ]
        # The nearest in time, one with the part's reason first: two saves a moment apart stay
        # two entries.
        home = min(
            candidates,
            key=lambda row: (row.reason != part.reason, abs(row.when - part.when)),
            default=None,
        )
        if home is None:
            home = TrailRow(
                when=part.when,
                who=part.who,
                model=model,
                obj=obj,
                action="changed",
                reason=part.reason,
            )
            rows.append(home)
            own.append(home)
        home.changes.extend(part.changes)
        if not home.reason:
            home.reason = part.reason


def trail(
    histories: list[QuerySet],
    *,
    exclude_fields: tuple[str, ...] = (),
    parts: Iterable[tuple[QuerySet, Callable]] = (),
) -> list[TrailRow]:
    """Rows of several history querysets, newest first, each with its field-by-field changes.

    ``parts`` are histories of the pieces of the first history's object (a monthly report's
    lines), each with a function naming a piece from its history record: their changes are
    listed in the object's rows, prefixed with the piece's name.

    The queries do not grow with the rows: each object's label is read once (from its latest
    version) and the related objects named in the changes once per model."""
    rows: list[TrailRow] = []
    pending: list[tuple] = []
    for history in histories:
        these, names = _rows(history, exclude_fields, pending)
        for key, row, _record in these:
            row.obj = names[key]
            rows.append(row)
    if histories and parts:
        model = str(histories[0].model.instance_type._meta.verbose_name)
        obj = next((row.obj for row in rows if row.model == model), "")
        part_rows = []
        for history, label in parts:
            these, _names = _rows(history, exclude_fields, pending, label)
            # A piece created with its object adds nothing the object's creation does not say.
            part_rows.extend(row for _key, row, _record in these if row.changes)
        _fold(rows, part_rows, model, obj)
    related = _related_labels(pending)
    for change, before, record, name in pending:
        change.old = _display(before, name, related)
        change.new = _display(record, name, related)
    for row in rows:
        # A time that moved by seconds reads the same to the minute: no change to show.
        row.changes = [c for c in row.changes if not (c.old and c.old == c.new)]
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows
