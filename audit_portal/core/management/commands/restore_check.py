from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit_portal.core.restore import restore_check


class Command(BaseCommand):
    help = (
        "Restore a backup folder (manage.py backup) into a scratch database and an empty media "
        "folder, both removed afterwards, and verify it: file checksums, rows per table, the "
        "sampled evidence files' SHA-256, the encrypted data readable with the configured keys, "
        "and the audit chain. Exits non-zero and lists what failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path)
        parser.add_argument(
            "--database",
            default="default",
            help="the database whose server (PostgreSQL) or settings the scratch copy uses",
        )

    def handle(self, *args, source: Path, database: str, **options):
        failures = restore_check(source=source, using=database)
        for failure in failures:
            self.stderr.write(f"FAILED {failure}")
        if failures:
            raise CommandError(f"The restore check of {source} failed ({len(failures)} problems).")
        self.stdout.write(self.style.SUCCESS(f"{source}: restored and verified."))
