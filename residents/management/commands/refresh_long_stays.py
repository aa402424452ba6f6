from django.core.management.base import BaseCommand

from residents.services import resident_refresh_long_stay


class Command(BaseCommand):
    help = (
        "Recompute the day each resident in care passes the long-stay threshold, after the area "
        "changed long_stay_months or long_stay_counting (AUDIT_RULES): the stored day is what "
        "the lists filter on."
    )

    def handle(self, *args, **options):
        changed = resident_refresh_long_stay()
        self.stdout.write(f"{changed} residents' long-stay day changed")
