"""Backups (``manage.py backup``): the database, the uploaded files and a manifest that says what
a faithful restore must hold, so that ``manage.py restore_check`` (``core.restore``) can prove it.

A backup is one folder, ``backup-<UTC time>``, never overwritten:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's
  online backup: a consistent copy while the site runs);
- ``media.tar``: everything under ``MEDIA_ROOT`` (the evidence files and the generated files);
- ``manifest.json``: when, the migrations applied, the rows of every table, the evidence files
  (all of them up to ``EVIDENCE_SAMPLE``, else a random sample of that many) with their SHA-256,
  and the SHA-256 of the two files above.

On PostgreSQL the counts and the evidence list are read in the very snapshot ``pg_dump`` dumps
(``pg_export_snapshot``), so they match the dump exactly even while the site is in use.

The keys (``SECRET_KEY``, ``FIELD_ENCRYPTION_KEYS``, ``FIELD_BLIND_INDEX_KEY``,
``AUDIT_CHAIN_KEY``) are not in a backup: they are kept apart, and without them the encrypted
personal data in it cannot be read.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from audit_portal.core.models import EvidenceFile

FORMAT = 1
EVIDENCE_SAMPLE = 1000
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """The backup could not be written (its folder exists, a tool failed)."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def postgres_environment(settings_dict: dict, name: str | None = None) -> dict[str, str]:
    """The libpq variables that make ``pg_dump``/``pg_restore``/``psql`` reach the database of
    ``settings_dict`` (or the database ``name`` on its server)."""
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": name or settings_dict.get("NAME"),
        "PGSSLMODE": settings_dict.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def run_tool(arguments: list[str], *, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {result.stderr.strip() or result.returncode}")


def _inventory(cursor, tables: list[str], quote: Callable[[str], str], sample: int) -> dict:
    """What the manifest says of the database, read through ``cursor``."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:  # absent from a database built without migrations
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    opts = EvidenceFile._meta
    evidence_table = opts.db_table
    files = []
    if evidence_table in counts:
        columns = ", ".join(quote(opts.get_field(f).column) for f in ("id", "file", "sha256"))
        cursor.execute(
            f"SELECT {columns} FROM {quote(evidence_table)} ORDER BY RANDOM() LIMIT %s",  # noqa: S608
            [sample],
        )
        files = [
            {"id": str(opts.pk.to_python(pk)), "file": name, "sha256": digest}
            for pk, name, digest in cursor.fetchall()
        ]
    return {
        "migrations": migrations,
        "row_counts": counts,
        "evidence": {"total": counts.get(evidence_table, 0), "sample": files},
    }


def _dump_postgresql(connection, target: Path, sample: int) -> dict:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = connection.introspection.table_names(cursor)
        inventory = _inventory(cursor, tables, connection.ops.quote_name, sample)
        run_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=postgres_environment(connection.settings_dict),
        )
    return inventory


def _dump_sqlite(connection, target: Path, sample: int) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [name for (name,) in cursor.fetchall()]
        # sqlite3 takes ? placeholders.
        inventory = _inventory(_QmarkCursor(cursor), tables, connection.ops.quote_name, sample)
    finally:
        copy.close()
    return inventory


class _QmarkCursor:
    """A sqlite3 cursor taking the ``%s`` placeholders the inventory's SQL is written with."""

    def __init__(self, cursor):
        self.cursor = cursor

    def execute(self, sql: str, params=()):
        return self.cursor.execute(sql.replace("%s", "?"), params)

    def fetchone(self):
        return self.cursor.fetchone()

    def fetchall(self):
        return self.cursor.fetchall()


def _archive_media(target: Path) -> int:
    """Tar ``MEDIA_ROOT`` into ``target`` under ``media/``; returns the files archived."""
    root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(target, "w") as archive:
        archive.add(root, arcname="media", recursive=False)
        if root.exists():
            for path in sorted(root.rglob("*")):
                archive.add(path, arcname=f"media/{path.relative_to(root)}", recursive=False)
                count += path.is_file()
    return count


def backup_create(*, to: Path, using: str = "default", sample: int = EVIDENCE_SAMPLE) -> Path:
    """Write a new backup folder under ``to`` and return it."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DUMP:
        raise BackupError(f"No backup for a {vendor} database.")
    now = timezone.now()
    folder = Path(to) / f"backup-{now:%Y%m%d-%H%M%S}"
    try:
        folder.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        raise BackupError(f"{folder} exists already: a backup is never overwritten.") from None
    dump = folder / DUMP[vendor]
    if vendor == "postgresql":
        inventory = _dump_postgresql(connection, dump, sample)
    else:
        inventory = _dump_sqlite(connection, dump, sample)
    media_files = _archive_media(folder / MEDIA_ARCHIVE)
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database": {"vendor": vendor, "file": dump.name},
        "media": {"file": MEDIA_ARCHIVE, "files": media_files},
        **inventory,
        "checksums": {
            dump.name: sha256_of(dump),
            MEDIA_ARCHIVE: sha256_of(folder / MEDIA_ARCHIVE),
        },
        "keys": "Not in this backup: SECRET_KEY, FIELD_ENCRYPTION_KEYS, FIELD_BLIND_INDEX_KEY "
        "and AUDIT_CHAIN_KEY are kept apart; the encrypted personal data needs them.",
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return folder
