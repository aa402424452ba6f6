import datetime

from django.core.management.base import BaseCommand, CommandError

from audit_portal.notices.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Send the day's reminders (documents expiring, deadlines, escalations, missing reports and "
        "visits, comment windows, terms ending, incident stages, tomorrow's inspections), retry "
        "unfinished deliveries and send the daily digests. Run once a day (cron or the worker's "
        "schedule); a second run the same day sends nothing twice, a missed day is caught up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day to run for (YYYY-MM-DD); today by default")

    def handle(self, *args, on=None, **options):
        day = None
        if on:
            try:
                day = datetime.date.fromisoformat(on)
            except ValueError as error:
                raise CommandError(f"--on: {error}") from error
        counts = reminders_send(on=day)
        self.stdout.write(
            "{reminders} reminders, {notifications} notifications made, "
            "{resumed} deliveries retried, {digests} digests".format(**counts)
        )
