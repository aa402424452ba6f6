"""Work on whole encrypted columns: re-encrypting them under the newest key (key rotation,
``manage.py rotate_field_encryption``) and encrypting the plaintext rows written before a column
was encrypted (the data migrations that turn a field into an encrypted one).

Both run in batches of rows, each in its own transaction, and both cover the history tables
(simple-history copies the encrypted fields, so its tables hold tokens too): on PostgreSQL their
append-only trigger lets these columns, and only these, be rewritten (``append_only.rewriting``);
the hash chain covers the values, not the tokens, so it still verifies."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import models, transaction

from audit_portal.core import crypto
from audit_portal.core.append_only import rewriting
from audit_portal.core.fields import BlindIndexField, EncryptedMixin

BATCH_SIZE = 500


@dataclass(frozen=True)
class EncryptedColumns:
    model: type[models.Model]
    encrypted: tuple[models.Field, ...]
    indexes: tuple[BlindIndexField, ...]

    @property
    def names(self) -> list[str]:
        return [field.name for field in (*self.encrypted, *self.indexes)]


def encrypted_columns(model: type[models.Model]) -> EncryptedColumns | None:
    fields = model._meta.concrete_fields
    encrypted = tuple(f for f in fields if isinstance(f, EncryptedMixin))
    if not encrypted:
        return None
    sources = {field.name for field in encrypted}
    indexes = tuple(f for f in fields if isinstance(f, BlindIndexField) and f.source in sources)
    return EncryptedColumns(model, encrypted, indexes)


def encrypted_models(apps=global_apps) -> list[EncryptedColumns]:
    """Every model (history models included) with an encrypted field."""
    found = (encrypted_columns(model) for model in apps.get_models())
    return [columns for columns in found if columns is not None]


def _batches(queryset: models.QuerySet, size: int) -> Iterator[list]:
    """``queryset``'s rows in primary-key order, ``size`` at a time, each batch read inside the
    transaction that writes it back."""
    last = None
    while True:
        with transaction.atomic(using=queryset.db):
            page = queryset.order_by("pk")
            if last is not None:
                page = page.filter(pk__gt=last)
            rows = list(page[:size])
            if not rows:
                return
            yield rows
        last = rows[-1].pk


def rotate(columns: EncryptedColumns, *, batch_size: int = BATCH_SIZE) -> int:
    """Re-encrypt every value of ``columns`` under the first key and recompute its blind indexes
    (so a new ``FIELD_BLIND_INDEX_KEY`` is taken up the same way). Returns the rows rewritten.

    Written with ``bulk_update``: no signal, no history row, since the values do not change."""
    model = columns.model
    queryset = model._base_manager.only(
        "pk", *[field.name for field in columns.encrypted], *[f.source for f in columns.indexes]
    )
    done = 0
    for rows in _batches(queryset, batch_size):
        for row in rows:
            for index in columns.indexes:
                index.refresh(row)
        with rewriting(model, columns.names, using=queryset.db):
            model._base_manager.bulk_update(rows, columns.names)
        done += len(rows)
    return done


def encrypt_plaintext_rows(
    model: type[models.Model], connection, *, batch_size: int = BATCH_SIZE
) -> int:
    """For a data migration: encrypt the values of ``model``'s encrypted fields still stored in
    clear and fill its blind indexes. Reads and writes the columns directly (a plaintext would
    not load through the field); a value that is already a token is left as it is. Returns the
    rows changed. ``model`` is the migration's historical model."""
    columns = encrypted_columns(model)
    if columns is None:
        return 0
    return _rewrite(columns, connection, batch_size, _encrypt_if_plain)


def decrypt_to_plaintext_rows(
    model: type[models.Model], connection, *, batch_size: int = BATCH_SIZE
) -> int:
    """The reverse of ``encrypt_plaintext_rows``, for the migration going backwards."""
    columns = encrypted_columns(model)
    if columns is None:
        return 0
    return _rewrite(columns, connection, batch_size, _decrypt_if_token)


def _encrypt_if_plain(value: str) -> tuple[str, str]:
    """(stored value, plaintext) of one cell."""
    if crypto.is_token(value):
        return value, crypto.decrypt(value)
    return crypto.encrypt(value), value


def _decrypt_if_token(value: str) -> tuple[str, str]:
    plain = crypto.decrypt(value) if crypto.is_token(value) else value
    return plain, plain


def _rewrite(
    columns: EncryptedColumns,
    connection,
    batch_size: int,
    convert: Callable[[str], tuple[str, str]],
) -> int:
    opts = columns.model._meta
    quote = connection.ops.quote_name
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    read = [field.column for field in columns.encrypted]
    by_name = {field.name: i for i, field in enumerate(columns.encrypted)}
    written = [*read, *[index.column for index in columns.indexes]]
    select = f"SELECT {pk}, {', '.join(quote(c) for c in read)} FROM {table}"  # noqa: S608
    page = f"ORDER BY {pk} LIMIT {int(batch_size)}"
    update = (
        f"UPDATE {table} SET {', '.join(f'{quote(c)} = %s' for c in written)} "  # noqa: S608
        f"WHERE {pk} = %s"
    )
    changed = 0
    last = None
    while True:
        with (
            transaction.atomic(using=connection.alias),
            rewriting(columns.model, columns.names, using=connection.alias),
            connection.cursor() as cursor,
        ):
            if last is None:
                cursor.execute(f"{select} {page}")
            else:
                cursor.execute(f"{select} WHERE {pk} > %s {page}", [last])
            rows = cursor.fetchall()
            if not rows:
                return changed
            updates = []
            for pk_value, *values in rows:
                stored, plain = [], []
                for value in values:
                    pair = convert(value) if value else (value, value)
                    stored.append(pair[0])
                    plain.append(pair[1])
                digests = [
                    crypto.blind_index(plain[by_name[index.source]])
                    if plain[by_name[index.source]]
                    else ""
                    for index in columns.indexes
                ]
                if stored != list(values) or columns.indexes:
                    updates.append([*stored, *digests, pk_value])
            cursor.executemany(update, updates)
            changed += len(updates)
            last = rows[-1][0]
