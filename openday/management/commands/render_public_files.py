from django.core.management.base import BaseCommand

from openday import files
from openday.models import Summary


class Command(BaseCommand):
    help = (
        "Queue the rendering of the public open-day PDFs (each public summary's PDF and its "
        "institutions' posters) that are not stored yet: the summaries published before the PDFs "
        "were stored, or whose rendering failed. Run once after upgrading; the worker "
        "(manage.py db_worker) renders them. With --all, every file is rendered again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="only the summaries of this open-day year")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="render every file again, stored or not",
        )

    def handle(self, *args, year=None, everything=False, **options):
        summaries = Summary.objects.filter(status__in=Summary.PUBLIC).order_by("year", "version")
        if year is not None:
            summaries = summaries.filter(year=year)
        total = 0
        for summary in summaries:
            count = files.publish_files(summary, missing_only=not everything)
            total += count
            self.stdout.write(f"{summary}: {count} file(s) queued")
        self.stdout.write(f"{total} file(s) queued for the worker")
