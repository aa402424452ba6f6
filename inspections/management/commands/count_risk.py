import time

from django.core.management.base import BaseCommand

from inspections.services.risk import risk_count


class Command(BaseCommand):
    help = (
        "Recount every institution's risk dashboard figures. Run once a day after midnight "
        "(cron or the worker's schedule): overdue issues, stale inspections, missing reports and "
        "the incident window move with the date alone."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        written = risk_count()
        self.stdout.write(f"{written} institutions counted in {time.monotonic() - started:.1f} s")
