from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit_portal.core.backup import EVIDENCE_SAMPLE, BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup folder (backup-<UTC time>) under --to: the database (pg_dump custom "
        "format, or a SQLite online copy), a tar of MEDIA_ROOT and manifest.json (migrations, "
        "rows per table, evidence files with their SHA-256). Never overwrites. The keys are not "
        "included: keep them apart. Check it with restore_check."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="the folder to write under")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--evidence-sample",
            type=int,
            default=EVIDENCE_SAMPLE,
            help="evidence files listed with their hash (all when there are fewer)",
        )

    def handle(self, *args, to: Path, database: str, evidence_sample: int, **options):
        try:
            folder = backup_create(to=to, using=database, sample=evidence_sample)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
