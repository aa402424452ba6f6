import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.scale import SCALE_PASSWORD
from audit_portal.core.scale import BulkWriter, Progress, seeded, years_before


def scale_seeders() -> list[str]:
    """What each installed app declares on its ``AppConfig.scale_seeds``, in order: each
    seeder adds to the shared ``world`` what the ones before it made (the base names no app)."""
    seeds = [
        seed for config in apps.get_app_configs() for seed in getattr(config, "scale_seeds", ())
    ]
    return [dotted for _order, dotted in sorted(seeds)]


class Command(BaseCommand):
    help = (
        "Fill an empty database with a city's worth of generated records: N institutions and "
        "Y years of their history, as each app declares it (AppConfig.scale_seeds). "
        "Deterministic for a given --seed and day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--institutions", type=int, default=50, help="default: 50")
        parser.add_argument("--years", type=int, default=5, help="years of history (default: 5)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        size, years, using = options["institutions"], options["years"], options["database"]
        if size < 1 or years < 1:
            raise CommandError("--institutions and --years must be at least 1.")
        organisations = Organisation.objects.using(using).count()
        users = User.objects.using(using).count()
        if organisations or users:
            raise CommandError(
                f"The database already holds data ({organisations} organisations, {users} "
                "users): seed_scale fills an empty database only. Create a new database and run "
                "migrate first."
            )
        today = timezone.localdate()
        # The raw stream: the command's wrapper ends every write with a newline.
        progress = Progress(self.stderr._out)
        writer = BulkWriter(using=using, progress=progress)
        world: dict = {
            "writer": writer,
            "today": today,
            "start": years_before(today, years),
            "years": years,
            "institutions_wanted": size,
            "random": lambda name: seeded(options["seed"], name),
        }
        started = time.monotonic()
        with transaction.atomic(using=using):
            for dotted in scale_seeders():
                before = writer.counts()
                progress.start(dotted.removesuffix(".seed"))
                import_string(dotted)(world)
                writer.flush()
                after = writer.counts()
                progress.done({k: n - before.get(k, 0) for k, n in after.items()})
        elapsed = time.monotonic() - started
        total = sum(writer.counts().values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {size} institutions over {years} years: {total:,} rows in "
                f"{elapsed:.0f} s. Accounts (password for all: {SCALE_PASSWORD}):"
            )
        )
        for username, description in world.get("accounts", []):
            self.stdout.write(f"  {username:<16} {description}")
