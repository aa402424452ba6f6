from django.core.management.base import BaseCommand

from audit_portal.core.files.services import files_fail_stalled, files_purge


class Command(BaseCommand):
    help = (
        "Delete the generated files past their keeping time (the records stay) and mark as "
        "failed the builds the worker stopped, so their owners may start them again. Run it "
        "daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        stalled = files_fail_stalled()
        purged = files_purge()
        self.stdout.write(f"purged {purged} file(s); {stalled} stopped build(s) marked as failed")
