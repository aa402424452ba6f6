import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from audit_portal.core.audit_chain import chained_models, verify_table


class Command(BaseCommand):
    help = (
        "Recompute the hash chain of every history table and name the first broken link of "
        "each (an edited, missing or reordered row, or a row never sealed). Exits non-zero "
        "when any chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--table",
            help="check one table only: its name (accounts_historicaluser) or its model "
            "(accounts.HistoricalUser)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args, **options):
        models = chained_models()
        if options["table"]:
            wanted = options["table"].lower()
            models = [m for m in models if wanted in (m._meta.db_table, m._meta.label_lower)]
            if not models:
                raise CommandError(f"No history table {options['table']!r}.")
        broken = 0
        started = time.monotonic()
        for model in models:
            check = verify_table(model, using=options["database"], chunk_size=options["chunk_size"])
            if check.ok:
                self.stdout.write(f"{check.table}: {check.rows} rows verified, head {check.head}")
            else:
                broken += 1
                self.stderr.write(
                    f"{check.table}: chain broken at history_id {check.broken_at}: "
                    f"{check.problem} ({check.rows} rows before it verified)"
                )
        elapsed = time.monotonic() - started
        if broken:
            raise CommandError(f"{broken} of {len(models)} history tables failed verification.")
        self.stdout.write(
            self.style.SUCCESS(f"{len(models)} history tables verified in {elapsed:.1f} s.")
        )
