"""Writing generated data fast (``manage.py seed_scale``): rows go straight to the tables in
batches (COPY on PostgreSQL with psycopg 3, ``executemany`` elsewhere) without model instances,
signals or history rows, and their primary keys are allocated here, so that rows can point at
each other before any of them is written.

The caller runs it inside one transaction: Django declares every foreign key deferrable, so the
database checks them at commit and batches may go in any order. Model constraints (checks,
unique) are the caller's to respect: the database still enforces them on every row.
"""

import datetime
import random
import sys
import time
from collections.abc import Callable
from typing import TextIO

from django.core.management.color import no_style
from django.db import connections, models
from django.db.models import Max
from django.utils import timezone

from audit_portal.core import crypto
from audit_portal.core.audit_chain import HistoryChain
from audit_portal.core.fields import BlindIndexField, EncryptedMixin

# Fields whose Python value needs the backend's conversion (aware datetimes to UTC on SQLite,
# decimals, JSON, personal data encrypted); the others (text, numbers, booleans, keys) are
# written as they are.
_CONVERTED = (
    models.DateField,
    models.DecimalField,
    models.JSONField,
    models.UUIDField,
    EncryptedMixin,
)


class Progress:
    """A counter line per stage on stderr, rewritten in place on a terminal."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.stage = ""
        self.started = self.shown = time.monotonic()
        self.rows = 0

    def start(self, stage: str) -> None:
        self.stage, self.rows = stage, 0
        self.started = self.shown = time.monotonic()

    def tick(self, rows: int = 1) -> None:
        self.rows += rows
        now = time.monotonic()
        if self.live and now - self.shown > 0.5:
            self.shown = now
            self.stream.write(f"\r  {self.stage}: {self.rows:,} rows ({now - self.started:.0f} s)")
            self.stream.flush()

    def done(self, counts: dict[str, int]) -> float:
        elapsed = time.monotonic() - self.started
        detail = ", ".join(f"{name} {n:,}" for name, n in counts.items() if n)
        prefix = "\r" if self.live else ""
        self.stream.write(f"{prefix}  {self.stage}: {elapsed:.1f} s  {detail or '-'}\n")
        self.stream.flush()
        return elapsed


class _Table:
    """How one model's rows are written: its columns, their defaults and conversions."""

    def __init__(self, model: type[models.Model], connection):
        opts = model._meta
        self.model = model
        self.fields = list(opts.concrete_fields)
        self.position = {field.attname: i for i, field in enumerate(self.fields)}
        self.pk_attname = opts.pk.attname
        self.allocates = isinstance(opts.pk, models.AutoField)
        self.defaults: list = []
        for field in self.fields:
            if field.has_default() and callable(field.default):
                self.defaults.append(field.get_default)
            else:
                value = field.get_default()
                self.defaults.append(lambda value=value: value)
        self.converters: list[tuple[int, Callable]] = [
            (i, lambda value, field=field: field.get_db_prep_save(value, connection))
            for i, field in enumerate(self.fields)
            if isinstance(field, _CONVERTED)
        ]
        # Blind indexes are digests of their source's value, taken before it is encrypted.
        self.indexes: list[tuple[int, int]] = [
            (i, self.position[opts.get_field(field.source).attname])
            for i, field in enumerate(self.fields)
            if isinstance(field, BlindIndexField)
        ]
        quote = connection.ops.quote_name
        self.sql_table = quote(opts.db_table)
        self.sql_columns = ", ".join(quote(field.column) for field in self.fields)
        self.rows: list[tuple] = []
        self.next_pk: int | None = None
        self.written = 0


class BulkWriter:
    """``add(Model, **values)`` buffers one row (values by attname: ``institution_id``, not
    ``institution``) and returns its primary key; ``flush()`` writes every buffer and moves the
    tables' sequences past the keys used, so that code saving models afterwards gets new keys."""

    def __init__(self, *, using: str = "default", batch_size: int = 5000, progress=None):
        self.connection = connections[using]
        self.using = using
        self.batch_size = batch_size
        self.progress = progress or Progress()
        self.tables: dict[type[models.Model], _Table] = {}
        self._copy = self.connection.vendor == "postgresql" and (
            self.connection.Database.__name__ == "psycopg"
        )

    def reserve(self, model: type[models.Model]) -> int:
        """A primary key for a row added later (``add(Model, id=pk, ...)``), so that rows
        pointing at it can be written first."""
        table = self._table(model)
        if table.next_pk is None:
            table.next_pk = self._max_pk(model) + 1
        table.next_pk += 1
        return table.next_pk - 1

    def add(self, model: type[models.Model], **values) -> int | None:
        table = self._table(model)
        row = [default() for default in table.defaults]
        for name, value in values.items():
            try:
                row[table.position[name]] = value
            except KeyError:
                raise TypeError(f"{model.__name__} has no column {name!r}") from None
        pk = values.get(table.pk_attname)
        if pk is None and table.allocates:
            pk = row[table.position[table.pk_attname]] = self.reserve(model)
        for index, source in table.indexes:
            row[index] = crypto.blind_index(str(row[source])) if row[source] else ""
        for index, convert in table.converters:
            if row[index] is not None:
                row[index] = convert(row[index])
        table.rows.append(tuple(row))
        self.progress.tick()
        if len(table.rows) >= self.batch_size:
            self._write(table)
        return pk

    def count(self, model: type[models.Model]) -> int:
        table = self.tables.get(model)
        return 0 if table is None else table.written + len(table.rows)

    def counts(self) -> dict[str, int]:
        return {table.model._meta.label: self.count(table.model) for table in self.tables.values()}

    def flush(self) -> None:
        for table in self.tables.values():
            if table.rows:
                self._write(table)
        written = [table.model for table in self.tables.values() if table.allocates]
        statements = self.connection.ops.sequence_reset_sql(no_style(), written)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        for table in self.tables.values():
            table.next_pk = None  # read again: code may have saved rows since

    def _table(self, model: type[models.Model]) -> _Table:
        table = self.tables.get(model)
        if table is None:
            if issubclass(model, HistoryChain):
                raise TypeError(
                    f"{model.__name__}: history rows are sealed into their chain as they are "
                    "written (core.audit_chain.chain_batch), never written raw."
                )
            table = self.tables[model] = _Table(model, self.connection)
        return table

    def _max_pk(self, model: type[models.Model]) -> int:
        return model._base_manager.using(self.using).aggregate(m=Max("pk"))["m"] or 0

    def _write(self, table: _Table) -> None:
        rows, table.rows = table.rows, []
        with self.connection.cursor() as cursor:
            if self._copy:
                sql = f"COPY {table.sql_table} ({table.sql_columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.fields))
                # Quoted names from the model's metadata; the values go as parameters.
                sql = f"INSERT INTO {table.sql_table} ({table.sql_columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)
        table.written += len(rows)


# Dates and times of generated records ------------------------------------------------------------


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware datetime at the local wall-clock time of ``day``."""
    naive = datetime.datetime.combine(day, datetime.time(hour % 24, minute % 60))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A day in [first, last] (``first`` when the span is empty)."""
    span = (last - first).days
    return first + datetime.timedelta(days=rng.randint(0, span)) if span > 0 else first


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def seeded(seed: int, name: str) -> random.Random:
    """A generator of its own for each seeder, so that one seeder's draws never shift
    another's: the same seed gives the same data however the seeders change."""
    return random.Random(f"{seed}:{name}")  # noqa: S311 - generated data, not secrets
