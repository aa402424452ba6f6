from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from audit_portal.security.services import retention_days, security_events_purge


class Command(BaseCommand):
    help = (
        "Delete the security events older than security_event_retention_days (at least 180, "
        "网络安全法 art. 21). Run it daily (cron or a systemd timer) with the other commands."
    )

    def handle(self, *args, **options):
        try:
            days = retention_days()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        deleted = security_events_purge()
        self.stdout.write(f"purged {deleted} security event(s) older than {days} days")
