"""Tamper-evident history: every history row carries a SHA-256 over its content chained to the
previous row of its table (in ``history_id`` order), so that an edited, deleted or reordered row
breaks the chain where it happened (``manage.py verify_audit_chain``).

Every ``HistoricalRecords`` is given ``bases=[HistoryChain]`` (and ``m2m_bases`` for the
many-to-many history). A row is chained when it is written: ``save()`` for one row, the
manager's ``bulk_create`` for many (simple-history's ``bulk_history_create`` and its m2m rows
go through it), both through ``chain_batch``, which reads the table's last hash under a lock
held to the end of the transaction, so that two writers never chain off the same row.

The content is every concrete column of the row except its own key (the chain's order already
says where the row stands; the key is not known before the insert) and the two hash columns,
as a JSON object with sorted keys and stable types. A column whose value is null, or equal to
the column's constant default, is left out: a column added later as nullable or with a constant
default (what old rows then hold) leaves the old rows' hashes valid. Renaming or dropping a
history column that held values, or adding one with a one-off default, changes old rows'
content: such a migration breaks the chain, and the verify command says where.

An encrypted column (``core.fields``) enters the content as an HMAC of its value under
``AUDIT_CHAIN_KEY``: the plain value would let anyone holding the database test guesses of an ID
number against the row's hash, and the stored token changes when the encryption key is rotated.
Its blind index is left out (derived from the value, and recomputed under a new index key). The
key must stay the same for as long as the history is kept (see ``chain_key``).
"""

import datetime
import decimal
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.duration import duration_microseconds

from audit_portal.core.fields import BlindIndexField, EncryptedMixin
from audit_portal.core.history import fill_creation_reason

GENESIS = "0" * 64
HASH_FIELDS = ("history_prev_hash", "history_hash")


class AppendOnlyError(Exception):
    """A history row was to be changed or deleted: history is only ever appended to."""


# Canonical content ---------------------------------------------------------------------------


def chain_key() -> bytes:
    """``AUDIT_CHAIN_KEY``, or one derived from ``SECRET_KEY`` when it is not set (then the
    secret key must not change: rows holding encrypted values could no longer be verified)."""
    key = settings.AUDIT_CHAIN_KEY or f"audit-chain:{settings.SECRET_KEY}"
    return hashlib.sha256(key.encode()).digest()


def _sealed_value(value: str) -> str:
    return hmac.new(chain_key(), value.encode(), hashlib.sha256).hexdigest() if value else ""


def _normaliser(field: models.Field) -> Callable[[Any], Any]:
    """How one column's value becomes a stable JSON value, whether it comes from a model
    instance about to be saved or from the database."""
    if isinstance(field, models.ForeignKey):
        return _normaliser(field.target_field)
    if isinstance(field, EncryptedMixin):
        return lambda value: _sealed_value(str(value))
    if isinstance(field, models.DateTimeField):

        def as_utc(value):
            value = field.to_python(value)
            if timezone.is_naive(value):
                value = timezone.make_aware(value, timezone.get_default_timezone())
            return value.astimezone(datetime.UTC).isoformat()

        return as_utc
    if isinstance(field, (models.DateField, models.TimeField)):
        return lambda value: field.to_python(value).isoformat()
    if isinstance(field, models.DecimalField):
        exponent = decimal.Decimal(1).scaleb(-(field.decimal_places or 0))
        return lambda value: format(field.to_python(value).quantize(exponent), "f")
    if isinstance(field, models.JSONField):
        # As the database gives it back: tuples as lists, the field's encoder applied.
        return lambda value: json.loads(json.dumps(value, cls=field.encoder))
    if isinstance(field, models.FileField):
        return lambda value: str(getattr(value, "name", value) or "")
    if isinstance(field, models.BooleanField):
        return lambda value: bool(field.to_python(value))
    if isinstance(field, models.FloatField):
        return float
    if isinstance(field, models.IntegerField):  # the auto fields too
        return int
    if isinstance(field, models.DurationField):
        return lambda value: duration_microseconds(field.to_python(value))
    if isinstance(field, models.BinaryField):
        return lambda value: bytes(value).hex()
    return lambda value: str(field.to_python(value))


@dataclass(frozen=True)
class _Column:
    attname: str
    normalise: Callable[[Any], Any]
    # The normalised constant default, left out of the content like null (see the module).
    default: Any


_NO_DEFAULT = object()
_columns_cache: dict[type[models.Model], tuple[_Column, ...]] = {}


def content_columns(model: type[models.Model]) -> tuple[_Column, ...]:
    """The columns a row's hash covers, in a fixed order."""
    columns = _columns_cache.get(model)
    if columns is None:
        columns = []
        for field in model._meta.concrete_fields:
            if (
                field.primary_key
                or field.attname in HASH_FIELDS
                or isinstance(field, BlindIndexField)
            ):
                continue
            normalise = _normaliser(field)
            default = _NO_DEFAULT
            if field.has_default() and not callable(field.default) and field.default is not None:
                default = normalise(field.default)
            columns.append(_Column(field.attname, normalise, default))
        columns = _columns_cache[model] = tuple(sorted(columns, key=lambda c: c.attname))
    return columns


def canonical(columns: Iterable[_Column], values: Iterable[Any]) -> bytes:
    """The row's content as compact JSON with sorted keys (``values`` in ``columns`` order)."""
    content = {}
    for column, value in zip(columns, values, strict=True):
        if value is None:
            continue
        value = column.normalise(value)
        if value != column.default:
            content[column.attname] = value
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(content: bytes, prev_hash: str) -> str:
    return hashlib.sha256(content + prev_hash.encode()).hexdigest()


def instance_hash(row: models.Model, prev_hash: str) -> str:
    columns = content_columns(type(row))
    return row_hash(canonical(columns, (getattr(row, c.attname) for c in columns)), prev_hash)


# Chaining ------------------------------------------------------------------------------------


def lock_key(db_table: str) -> int:
    """A stable signed 64-bit key for the table's advisory lock."""
    digest = hashlib.sha256(f"audit_chain:{db_table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_table(model: type[models.Model], using: str) -> None:
    """Make the writers of ``model``'s table queue until this transaction ends. On SQLite the
    database already serialises writers (a second one waits or fails: it cannot read a stale
    last row and write after it)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("The chain is locked inside a transaction.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(model._meta.db_table)])


def last_hash(model: type[models.Model], using: str) -> str:
    """The hash of the table's last row (one query on the primary key's index)."""
    last = (
        model._base_manager.using(using)
        .order_by("-pk")
        .values_list("history_hash", flat=True)
        .first()
    )
    return GENESIS if last is None else last


def chain_batch(model: type[models.Model], rows: list[models.Model], *, using: str) -> None:
    """Seal ``rows`` (not yet saved, in the order they will be inserted) onto the end of
    ``model``'s chain. The caller inserts them in the same transaction, which holds the table's
    lock until it ends."""
    with transaction.atomic(using=using, savepoint=False):
        lock_table(model, using)
        prev = last_hash(model, using)
        for row in rows:
            row.history_prev_hash = prev
            row.history_hash = prev = instance_hash(row, prev)


class ChainedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            # A skipped or merged row would leave a hole in the chain just computed.
            raise AppendOnlyError("history rows are inserted whole, never merged or skipped")
        objs = list(objs)
        for row in objs:
            # Bulk writes send no pre_create_historical_record: fill the reason here.
            fill_creation_reason(row)
        with transaction.atomic(using=self.db, savepoint=False):
            chain_batch(self.model, objs, using=self.db)
            return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        raise AppendOnlyError("history rows are append-only")

    def delete(self):
        raise AppendOnlyError("history rows are append-only")


class HistoryChain(models.Model):
    """The base of every historical model (``HistoricalRecords(bases=[HistoryChain])``)."""

    history_prev_hash = models.CharField(max_length=64, default="", editable=False)
    history_hash = models.CharField(max_length=64, default="", editable=False)

    objects = ChainedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("history rows are append-only")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            chain_batch(type(self), [self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("history rows are append-only")


def chained_models(registry=global_apps) -> list[type[models.Model]]:
    """Every model with a chained history table, by table name. With a migration's ``apps``
    (whose models have lost their abstract bases) it finds them by their hash column."""
    found = []
    for model in registry.get_models():
        names = {field.attname for field in model._meta.concrete_fields}
        if set(HASH_FIELDS) <= names:
            found.append(model)
    return sorted(found, key=lambda model: model._meta.db_table)


# Verifying -----------------------------------------------------------------------------------

ROW_EDITED = "row edited"
ROW_MISSING = "row missing or rows reordered before this row"
NOT_SEALED = "chain not sealed"


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int  # verified before the first broken link (all of them when it holds)
    head: str  # the last verified row's hash
    broken_at: Any = None  # the key of the first broken row
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _walk(model, using: str, chunk_size: int) -> Iterator[tuple]:
    """(key, prev, hash, content values...) of every row, in chain order, memory flat."""
    columns = content_columns(model)
    pk = model._meta.pk.attname
    rows = (
        model._base_manager.using(using)
        .order_by(pk)
        .values_list(pk, *HASH_FIELDS, *(c.attname for c in columns))
    )
    return rows.iterator(chunk_size=chunk_size)


def verify_table(
    model: type[models.Model], *, using: str = "default", chunk_size: int = 5000
) -> TableCheck:
    """Recompute ``model``'s chain and stop at its first broken link."""
    table = model._meta.db_table
    columns = content_columns(model)
    expected, count = GENESIS, 0
    for key, prev, stored, *values in _walk(model, using, chunk_size):
        problem = ""
        if not stored:
            problem = NOT_SEALED
        elif row_hash(canonical(columns, values), prev) != stored:
            problem = ROW_EDITED
        elif prev != expected:
            problem = ROW_MISSING
        if problem:
            return TableCheck(table, count, expected, broken_at=key, problem=problem)
        expected, count = stored, count + 1
    return TableCheck(table, count, expected)


# Sealing rows written before the chain -------------------------------------------------------


def seal_table(model: type[models.Model], *, using: str = "default", batch: int = 2000) -> int:
    """Seal, in order, the rows of ``model``'s table that have no hash yet, chaining each to
    the row before it; rows already sealed are left as they are (so running it again changes
    nothing). Returns the number of rows sealed."""
    columns = content_columns(model)
    pk = model._meta.pk.attname
    rows = model._base_manager.using(using).order_by(pk)
    rows = rows.values_list(pk, "history_hash", *(c.attname for c in columns))
    sealed, prev, after = 0, GENESIS, None
    with transaction.atomic(using=using):
        lock_table(model, using)
        while True:
            # A page at a time, read whole before writing: SQLite gives no isolation between
            # a cursor still open and updates on the same connection.
            page = list((rows if after is None else rows.filter(**{f"{pk}__gt": after}))[:batch])
            if not page:
                return sealed
            seals = []
            for key, stored, *values in page:
                if not stored:
                    stored = row_hash(canonical(columns, values), prev)
                    seals.append(
                        model(**{pk: key, "history_prev_hash": prev, "history_hash": stored})
                    )
                prev = stored
            # The plain queryset: a chained model's own queryset refuses updates.
            models.QuerySet(model, using=using).bulk_update(seals, list(HASH_FIELDS))
            sealed += len(seals)
            after = page[-1][0]


def seal_history(registry=global_apps, *, using: str = "default") -> dict[str, int]:
    """Seal every history table (for the data migration that adds the hash columns: call it
    with the migration's ``apps`` and ``schema_editor.connection.alias``). Idempotent."""
    return {
        model._meta.db_table: seal_table(model, using=using) for model in chained_models(registry)
    }
