import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit_portal.accounts.demo import DEMO_PASSWORD

# Each app's demo module adds to the shared ``world`` in dependency order.
DEMO_SEEDERS = [
    "audit_portal.accounts.demo.seed",
    "inspections.demo.seed",
    "supervisors.demo.seed",
    "inspections.demo_inspections.seed",
    "incidents.demo.seed",
    "inspections.demo_reports.seed",
    "openday.demo.seed",
]


class Command(BaseCommand):
    help = "Create (or complete) the demo data set. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        world: dict = {}
        with transaction.atomic():
            for dotted in DEMO_SEEDERS:
                module_path = dotted.rsplit(".", 1)[0]
                if importlib.util.find_spec(module_path) is None:
                    continue  # the app ships no demo data yet
                import_string(dotted)(world)
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data ready. Accounts (password for all: %s):") % DEMO_PASSWORD
            )
        )
        for username, description in world.get("accounts", []):
            self.stdout.write(f"  {username:<14} {description}")
