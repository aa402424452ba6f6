from django.core.management.base import BaseCommand

from audit_portal.core.encryption import BATCH_SIZE, encrypted_models, rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column (history tables included) under the first key of "
        "FIELD_ENCRYPTION_KEYS and recompute the blind indexes. Rotation: put the new key first "
        "in FIELD_ENCRYPTION_KEYS, restart, run this, then remove the old key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size: int, **options):
        for columns in encrypted_models():
            rows = rotate(columns, batch_size=batch_size)
            fields = ", ".join(field.name for field in columns.encrypted)
            self.stdout.write(f"{columns.model._meta.label} ({fields}): {rows} row(s) re-encrypted")
