import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from audit_portal.core.files.services import files_fail_stalled, files_purge
from audit_portal.core.models import Submission


class Command(BaseCommand):
    help = (
        "Delete the generated files past their keeping time (the records stay) and mark as "
        "failed the builds the worker stopped, so their owners may start them again. Run it "
        "daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        stalled = files_fail_stalled()
        purged = files_purge()
        # The one-time form tokens claimed (audit_portal/core/once.py) matter for a moment.
        claims, _ = Submission.objects.filter(
            created_at__lt=timezone.now() - datetime.timedelta(days=1)
        ).delete()
        self.stdout.write(
            f"purged {purged} file(s) and {claims} form token(s); "
            f"{stalled} stopped build(s) marked as failed"
        )
