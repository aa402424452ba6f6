"""The restore check (``manage.py restore_check``): a backup (``core.backup``) restored into an
empty scratch database and an empty media folder, then compared with its manifest.

It fails, naming what failed, when a file's checksum differs from the manifest, a table holds
another number of rows, a sampled evidence file is missing or has another SHA-256, the
encrypted personal data cannot be read with the configured keys, or the history's hash chain
does not verify (``verify_audit_chain`` on the restored database). The scratch database and
folder are removed afterwards whatever the outcome.
"""

import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import psycopg
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import ConnectionDoesNotExist, load_backend

from audit_portal.core.backup import (
    MANIFEST,
    BackupError,
    postgres_environment,
    run_tool,
    sha256_of,
)
from audit_portal.core.encryption import encrypted_models

ALIAS = "restore_check"


@contextmanager
def _scratch_postgresql(dump: Path, using: str) -> Iterator[dict]:
    source = connections[using].settings_dict
    name = f"restore_check_{uuid.uuid4().hex[:12]}"
    admin = postgres_environment(source, "postgres")
    conninfo = " ".join(
        f"{key}={admin[var]}"
        for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"))
        if var in admin
    )
    password = admin.get("PGPASSWORD")
    with psycopg.connect(conninfo, dbname="postgres", password=password, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        run_tool(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={name}",
                str(dump),
            ],
            env=postgres_environment(source, name),
        )
        yield {**source, "NAME": name}
    finally:
        _forget_alias()
        with psycopg.connect(conninfo, dbname="postgres", password=password, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _scratch_sqlite(dump: Path, using: str) -> Iterator[dict]:
    folder = Path(tempfile.mkdtemp(prefix="restore-check-"))
    try:
        copy = folder / "restored.sqlite3"
        shutil.copyfile(dump, copy)
        yield {**connections[using].settings_dict, "NAME": str(copy)}
    finally:
        _forget_alias()
        shutil.rmtree(folder, ignore_errors=True)


def _use_alias(settings_dict: dict):
    """A connection to the restored database under ``ALIAS``, for this thread only (the
    site's configured databases stay as they are)."""
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, ALIAS)
    connections[ALIAS] = connection
    return connection


def _forget_alias() -> None:
    try:
        connection = connections[ALIAS]
    except ConnectionDoesNotExist:
        return
    connection.close()
    del connections[ALIAS]


def _row_counts(connection) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _compare_counts(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    failures = []
    for table in sorted(expected.keys() | found.keys()):
        if expected.get(table) != found.get(table):
            failures.append(
                f"table {table}: {expected.get(table, 'no')} rows in the manifest, "
                f"{found.get(table, 'no')} restored"
            )
    return failures


def _check_evidence(sample: list[dict], media: Path) -> list[str]:
    failures = []
    for item in sample:
        path = media / item["file"]
        label = f"evidence file {item['id']} ({item['file']})"
        if not path.is_file():
            failures.append(f"{label}: missing from the restored media")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != item["sha256"]:
            failures.append(f"{label}: its SHA-256 differs from the one recorded at upload")
    return failures


def _check_decryption(using: str) -> list[str]:
    """A few rows of every encrypted column, read through its field (so with the keys)."""
    failures = []
    for columns in encrypted_models():
        names = [field.name for field in columns.encrypted]
        try:
            list(columns.model._base_manager.using(using).values_list(*names)[:5])
        except Exception as error:  # any failure to read is the finding
            failures.append(
                f"{columns.model._meta.label}: encrypted values cannot be read with the "
                f"configured FIELD_ENCRYPTION_KEYS ({type(error).__name__})"
            )
    return failures


def _check_chain(using: str) -> list[str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_chain", database=using, stdout=out, stderr=err)
    except CommandError as error:
        lines = [line for line in err.getvalue().splitlines() if line.strip()]
        return [f"audit chain: {line}" for line in lines] or [f"audit chain: {error}"]
    except Exception as error:  # a chain that cannot be read is not verified
        return [f"audit chain: could not be verified ({type(error).__name__}: {error})"]
    return []


def restore_check(*, source: Path, using: str = "default") -> list[str]:
    """Restore the backup in ``source`` into scratch space and return what failed (empty: the
    backup is whole)."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        return [f"{MANIFEST}: cannot be read ({error})"]
    failures = []
    for name, digest in manifest["checksums"].items():
        path = source / name
        if not path.is_file():
            failures.append(f"{name}: missing from the backup")
        elif sha256_of(path) != digest:
            failures.append(f"{name}: its SHA-256 differs from the manifest's")
    dump = source / manifest["database"]["file"]
    if not dump.is_file():
        return failures
    vendor = manifest["database"]["vendor"]
    if connections[using].vendor != vendor:
        return [*failures, f"the backup is of a {vendor} database, this site runs another"]
    scratch = _scratch_postgresql if vendor == "postgresql" else _scratch_sqlite
    media = Path(tempfile.mkdtemp(prefix="restore-check-media-"))
    try:
        with tarfile.open(source / manifest["media"]["file"]) as archive:
            archive.extractall(media, filter="data")
        failures += _check_evidence(manifest["evidence"]["sample"], media / "media")
        with scratch(dump, using) as settings_dict:
            restored = _use_alias(settings_dict)
            failures += _compare_counts(manifest["row_counts"], _row_counts(restored))
            failures += _check_decryption(ALIAS)
            failures += _check_chain(ALIAS)
    except (BackupError, OSError, tarfile.TarError, sqlite3.Error, psycopg.Error) as error:
        failures.append(f"restore: {error}")
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return failures
