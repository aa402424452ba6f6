"""Background work: a new public complaint is mailed to the staff of the institution's county
bureau and to the supervisors of the groups it was routed to. The mail carries no contact
details of the complainant: those are read in the system, by staff only."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from audit_portal.accounts.models import User


@task()
def notify_complaint(complaint_id: int) -> int:
    from openday.models import PublicComplaint

    complaint = PublicComplaint.objects.select_related("institution").get(pk=complaint_id)
    group_ids = list(complaint.groups.values_list("pk", flat=True))
    addresses = list(
        User.objects.filter(is_active=True)
        .filter(
            Q(role=User.Role.STAFF, organisation_id=complaint.county_id)
            | Q(
                role=User.Role.SUPERVISOR,
                supervisor_record__memberships__group_id__in=group_ids,
                supervisor_record__memberships__left_on__isnull=True,
            )
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "complaint": complaint,
            "link": settings.SITE_URL + reverse("openday:complaint_detail", args=[complaint.pk]),
        }
        subject = render_to_string("openday/mail/complaint_subject.txt", context).strip()
        body = render_to_string("openday/mail/complaint_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    return len(addresses)
