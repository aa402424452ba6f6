"""Background work: a new public complaint is mailed to the staff of the institution's county
bureau and to the supervisors of the groups it was routed to (the mail carries no contact
details of the complainant: those are read in the system, by staff only); a published summary's
PDFs are rendered and stored, one build per file (``openday/files.py``)."""

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


@task(priority=-10)
def render_public_files(
    summary_id: int,
    requested_by_id: int | None = None,
    summary_pdf: bool = True,
    institutions: list[int] | None = None,
) -> int:
    """Queue the builds of a public summary's files (see ``files.publish_files``); nothing for
    a summary that is not public. Returns the number of files asked for."""
    from openday import files
    from openday.models import Summary

    summary = Summary.objects.filter(pk=summary_id, status__in=Summary.PUBLIC).first()
    if summary is None:
        return 0
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    return files.publish_files(
        summary, requested_by=requested_by, summary_pdf=summary_pdf, institutions=institutions
    )


@task(priority=-10)
def render_posters_of_year(year: int, institution_id: int, requested_by_id: int | None) -> int:
    """An institution's visits changed: its poster in the year's published summary says when
    and where, so it is rendered again."""
    from openday.models import Summary

    summary = Summary.objects.filter(year=year, status=Summary.Status.PUBLISHED).first()
    if summary is None:
        return 0
    return render_public_files.call(
        summary.pk, requested_by_id, summary_pdf=False, institutions=[institution_id]
    )
