from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit_portal.accounts.demo import DEMO_PASSWORD


def demo_seeders() -> list[str]:
    """What each installed app declares on its ``AppConfig.demo_seeds``, in order: each seeder
    adds to the shared ``world`` what the ones before it made (the base names no app)."""
    seeds = [
        seed for config in apps.get_app_configs() for seed in getattr(config, "demo_seeds", ())
    ]
    return [dotted for _order, dotted in sorted(seeds)]


class Command(BaseCommand):
    help = "Create (or complete) the demo data set. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        world: dict = {}
        with transaction.atomic():
            for dotted in demo_seeders():
                import_string(dotted)(world)
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data ready. Accounts (password for all: %s):") % DEMO_PASSWORD
            )
        )
        for username, description in world.get("accounts", []):
            self.stdout.write(f"  {username:<14} {description}")
        if settings.TWO_FACTOR_REQUIRED:
            self.stdout.write(
                _(
                    "Staff and administrator accounts set up two-step verification (an "
                    "authenticator app on a phone) at their first login."
                )
            )
