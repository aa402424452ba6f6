"""Background work: alert mail to the staff of the alerted organisation."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from audit_portal.accounts.models import User


@task()
def send_alert_mail(alert_id: int) -> int:
    """Mail one alert to every active staff account of its recipient organisation; returns the
    number of addresses. Runs once per alert: a re-run after success sends nothing."""
    from incidents.models import Alert

    alert = Alert.objects.select_related("incident", "report", "recipient").get(pk=alert_id)
    if alert.mailed_at is not None:
        return 0
    addresses = list(
        User.objects.filter(
            organisation_id=alert.recipient_id, role=User.Role.STAFF, is_active=True
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "alert": alert,
            "incident": alert.incident,
            "path": settings.SITE_URL
            + reverse("incidents:incident_detail", args=[alert.incident_id]),
        }
        subject = render_to_string("incidents/mail/alert_subject.txt", context).strip()
        body = render_to_string("incidents/mail/alert_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    Alert.objects.filter(pk=alert.pk).update(mailed_at=timezone.now())
    return len(addresses)
