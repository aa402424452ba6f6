"""Backup and restore check on SQLite: a backup restores and verifies; a corrupted evidence file,
a missing row or missing keys make the check fail naming what failed; nothing is overwritten."""

import json
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit_portal.core.evidence import evidence_attach
from tests.files import png_upload
from tests.supervisors.factories import SupervisorFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup path"),
]


@pytest.fixture
def site(alice):
    """A supervisor (encrypted ID number, history rows) and two evidence files."""
    owner = SupervisorFactory()
    files = [evidence_attach(owner=owner, upload=png_upload(), actor=alice) for _ in range(2)]
    return owner, files


def backup(folder: Path) -> Path:
    out = StringIO()
    call_command("backup", "--to", str(folder), stdout=out)
    return Path(out.getvalue().strip())


def check(folder) -> tuple[bool, str]:
    err = StringIO()
    try:
        call_command("restore_check", "--from", str(folder), stdout=StringIO(), stderr=err)
    except CommandError:
        return False, err.getvalue()
    return True, err.getvalue()


def test_a_backup_restores_and_verifies(site, tmp_path):
    owner, files = site
    folder = backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert folder.name.startswith("backup-")
    assert {p.name for p in folder.iterdir()} == {"database.sqlite3", "media.tar", "manifest.json"}
    assert manifest["row_counts"]["supervisors_supervisor"] == 1
    assert manifest["row_counts"]["supervisors_historicalsupervisor"] == 1
    assert "supervisors" in manifest["migrations"] or manifest["migrations"] == {}
    assert {(e["id"], e["file"], e["sha256"]) for e in manifest["evidence"]["sample"]} == {
        (str(f.pk), f.file.name, f.sha256) for f in files
    }
    assert owner.id_number not in (folder / "database.sqlite3").read_bytes().decode("latin-1")
    assert check(folder) == (True, "")


def test_a_corrupted_evidence_file_fails_the_check_naming_it(site, tmp_path):
    _owner, (damaged, _whole) = site
    path = damaged.file.path
    with open(path, "r+b") as stream:
        stream.seek(40)
        stream.write(b"\x00\xff\x00\xff")
    ok, report = check(backup(tmp_path))
    assert not ok
    assert damaged.file.name in report and "SHA-256 differs" in report
    assert _whole.file.name not in report


def test_a_missing_row_fails_the_check_naming_its_table(site, tmp_path):
    folder = backup(tmp_path)
    with sqlite3.connect(folder / "database.sqlite3") as copy:
        copy.execute(
            "DELETE FROM core_evidencefile WHERE rowid = (SELECT MIN(rowid) FROM core_evidencefile)"
        )
    ok, report = check(folder)
    assert not ok
    assert "table core_evidencefile: 2 rows in the manifest, 1 restored" in report
    assert "database.sqlite3: its SHA-256 differs" in report


def test_the_check_fails_without_the_encryption_keys(site, tmp_path, settings):
    folder = backup(tmp_path)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    ok, report = check(folder)
    assert not ok
    assert "supervisors.Supervisor: encrypted values cannot be read" in report


def test_a_backup_is_never_overwritten(site, tmp_path):
    # Two backups in the same second would take the same folder name.
    with time_machine.travel("2026-12-03 10:00:00 +08:00", tick=False):
        first = backup(tmp_path)
        before = (first / "manifest.json").read_bytes()
        with pytest.raises(CommandError, match="never overwritten"):
            backup(tmp_path)
    assert first.name == "backup-20261203-020000"
    assert (first / "manifest.json").read_bytes() == before


def test_a_folder_without_a_manifest_fails(tmp_path):
    ok, report = check(tmp_path)
    assert not ok and "manifest.json: cannot be read" in report
