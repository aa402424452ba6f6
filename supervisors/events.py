"""What the supervisor scheme tells people: a complaint a supervisor forwards reaches the city
bureau, home of the joint-meeting office that handles them (and administrators, who hold the
same right)."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from audit_portal.notices.services import notify
from inspections import recipients
from supervisors.models import Complaint


def complaint_forwarded(complaint: Complaint, *, actor: User) -> None:
    if complaint.institution_id:
        message = gettext_noop(
            "Supervisor %(supervisor)s forwarded a complaint from the public about %(institution)s."
        )
    else:
        message = gettext_noop("Supervisor %(supervisor)s forwarded a complaint from the public.")
    handlers = recipients.city_staff() | recipients.administrators()
    notify(
        kind=Kind.COMPLAINT_FORWARDED,
        recipients=recipients.others(handlers, actor),
        key=f"complaint:{complaint.pk}:forwarded",
        message=message,
        params={
            "supervisor": complaint.supervisor.full_name,
            "institution": complaint.institution.name if complaint.institution_id else "",
        },
        url=reverse("supervisors:complaint_list"),
    )
