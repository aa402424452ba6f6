"""Writes of the open day: the summary's workflow (draft → approved by another person →
published, corrections as new versions), visit registrations and public complaints.

Every function is atomic. Staff writes take the acting user and require the policy
(``openday/policies.py``): PermissionDenied for who the user is, a ValidationError the page shows
for the object's state; the checks of what was entered stay here. Public writes have no user: the
history row records none, and the limits are enforced in the database.
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit_portal.accounts.models import User
from audit_portal.core.disclosure import require_publishable
from audit_portal.core.history import save_audited
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.models import Institution
from openday import events, files
from openday import figures as figures_module
from openday.models import (
    PublicComplaint,
    Registration,
    Summary,
    SummaryEntry,
    VisitDay,
    open_day,
)
from openday.policies import complaint_policy, summary_policy, visit_day_policy
from supervisors import services as supervisor_services
from supervisors.models import Assignment, SupervisionGroup
from supervisors.selectors import own_supervisor

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def default_period(year: int) -> tuple[datetime.date, datetime.date]:
    """The months before the open day (``openday_period_months``), the day itself excluded:
    for 19 June 2026 and 12 months, 19 June 2025 to 18 June 2026."""
    day = open_day(year)
    return add_months(day, -rules().openday_period_months), day - datetime.timedelta(days=1)


# The summary --------------------------------------------------------------------------------------


def _fill(summary: Summary, narratives: dict[int, str]) -> None:
    """Compute the figures and (re)write the entries of a draft, keeping narratives."""
    area, rows = figures_module.compute(summary.period_start, summary.period_end)
    summary.area = area
    summary.small_count_threshold = rules().public_small_count_threshold
    summary.generated_at = timezone.now()
    wanted = {row["institution"].pk for row in rows}
    summary.entries.exclude(institution_id__in=wanted).delete()
    existing = {entry.institution_id: entry for entry in summary.entries.all()}
    for row in rows:
        institution: Institution = row["institution"]
        entry = existing.get(institution.pk) or SummaryEntry(
            summary=summary, institution=institution
        )
        entry.name = institution.name
        entry.county_name = institution.county.name
        entry.kind = institution.kind
        entry.address = institution.address
        entry.figures = row["figures"]
        if entry.pk is None:
            entry.narrative = narratives.get(institution.pk, "")
        entry.full_clean()
        entry.save()


@transaction.atomic
def summary_draft(
    *,
    year: int,
    actor: User,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Summary:
    """The first version of a year's summary, its figures computed from the records."""
    summary_policy.require_draft_for(actor, year)
    default_start, default_end = default_period(year)
    summary = Summary(
        year=year,
        period_start=period_start or default_start,
        period_end=period_end or default_end,
        drafted_by=actor,
        small_count_threshold=rules().public_small_count_threshold,
        generated_at=timezone.now(),
    )
    if summary.period_end >= open_day(year):
        raise ValidationError({"period_end": _("The period ends before the open day.")})
    save_audited(summary, actor=actor)
    _fill(summary, {})
    save_audited(summary, actor=actor, reason=_("Figures computed"))
    events.summary_for_approval(summary, actor=actor)
    return summary


@transaction.atomic
def summary_regenerate(*, summary: Summary, actor: User) -> Summary:
    """Compute a draft's figures again from the records as they are now."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    summary_policy.require("regenerate", actor, summary)
    _fill(summary, {})
    return save_audited(summary, actor=actor, reason=_("Figures computed again"))


@transaction.atomic
def entry_narrative(*, entry: SummaryEntry, text: str, actor: User) -> SummaryEntry:
    summary = Summary.objects.select_for_update().get(pk=entry.summary_id)
    summary_policy.require("edit", actor, summary)
    entry.narrative = text.strip()
    require_publishable(entry.narrative, field="text")
    return save_audited(entry, actor=actor)


@transaction.atomic
def summary_approve(*, summary: Summary, actor: User) -> Summary:
    """Approve a draft: someone other than everyone who wrote any part of it (the policy)."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    summary_policy.require("approve", actor, summary)
    # Checked again at approval: people put on record since the text was written count too.
    for entry in summary.entries.exclude(narrative="").only("name", "narrative"):
        require_publishable(entry.narrative, where=entry.name)
    summary.status = Summary.Status.APPROVED
    summary.approved_by = actor
    summary.approved_at = timezone.now()
    return save_audited(summary, actor=actor, reason=pgettext("open day", "Approved"))


@transaction.atomic
def summary_return(*, summary: Summary, actor: User, reason: str) -> Summary:
    """Send an approved summary back to draft (before publication), saying why."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    summary_policy.require("send_back", actor, summary)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it goes back to draft.")})
    summary.status = Summary.Status.DRAFT
    summary.approved_by = None
    summary.approved_at = None
    save_audited(summary, actor=actor, reason=reason)
    events.summary_returned(summary, actor=actor, reason=reason)
    return summary


@transaction.atomic
def summary_publish(*, summary: Summary, actor: User) -> Summary:
    """Publish an approved summary; a correction replaces the version it corrects, which stays
    readable, marked as replaced."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    summary_policy.require("publish", actor, summary)
    now = timezone.now()
    if summary.replaces_id:
        old = Summary.objects.select_for_update().get(pk=summary.replaces_id)
        old.status = Summary.Status.REPLACED
        old.replaced_at = now
        save_audited(
            old,
            actor=actor,
            reason=_("Replaced by version %(version)d") % {"version": summary.version},
        )
    summary.status = Summary.Status.PUBLISHED
    summary.published_by = actor
    summary.published_at = now
    save_audited(summary, actor=actor, reason=_("Published"))
    # The public PDFs are rendered once, by the worker, and served as stored files; the
    # replaced version's PDF now says it was replaced (its posters do not change).
    files.render_on_commit(summary, actor)
    if summary.replaces_id:
        files.render_on_commit(old, actor, posters=False)
    return summary


@transaction.atomic
def summary_correct(*, summary: Summary, actor: User, reason: str) -> Summary:
    """Start a correction of a published summary: a new draft version over the same period,
    its figures computed again and the narratives carried over."""
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    summary_policy.require("correct", actor, summary)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the correction corrects.")})
    version = Summary.objects.filter(year=summary.year).aggregate(v=Max("version"))["v"] + 1
    correction = Summary(
        year=summary.year,
        version=version,
        period_start=summary.period_start,
        period_end=summary.period_end,
        replaces=summary,
        correction_reason=reason.strip(),
        drafted_by=actor,
        small_count_threshold=summary.small_count_threshold,
        generated_at=timezone.now(),
    )
    save_audited(correction, actor=actor)
    _fill(correction, dict(summary.entries.values_list("institution_id", "narrative")))
    save_audited(correction, actor=actor, reason=_("Figures computed"))
    events.summary_for_approval(correction, actor=actor)
    return correction


# Visits -------------------------------------------------------------------------------------------


def normalise_phone(raw: str) -> str:
    """A mainland mobile number as 11 digits (spaces, dashes and a +86 prefix dropped)."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) != 11 or digits[0] != "1" or digits[1] not in "3456789":
        raise ValidationError({"phone": _("Enter an 11-digit mobile number.")})
    return digits


@transaction.atomic
def visit_day_set(
    *,
    institution: Institution,
    year: int,
    capacity: int,
    hours: str,
    meeting_point: str,
    registration_open: bool,
    actor: User,
    reason: str = "",
) -> VisitDay:
    visit_day_policy.require_arrange_for(actor, institution)
    visit_day = (
        VisitDay.objects.select_for_update().filter(institution=institution, year=year).first()
    )
    if visit_day is None:
        visit_day = VisitDay(institution=institution, year=year)
    else:
        booked = visit_day.registrations.filter(status=Registration.Status.ACTIVE).aggregate(
            n=Sum("party_size")
        )["n"]
        if booked and capacity < booked:
            raise ValidationError(
                {
                    "capacity": _("%(n)d people have already registered: keep at least that many.")
                    % {"n": booked}
                }
            )
        if not reason.strip():
            reason = _("Visit arrangements changed")
    visit_day.capacity = capacity
    visit_day.hours = hours.strip()
    visit_day.meeting_point = meeting_point.strip()
    visit_day.registration_open = registration_open
    save_audited(visit_day, actor=actor, reason=reason)
    files.render_poster_on_commit(year, institution, actor)
    return visit_day


def places_left(visit_day: VisitDay) -> int:
    booked = visit_day.registrations.filter(status=Registration.Status.ACTIVE).aggregate(
        n=Sum("party_size")
    )["n"]
    return max(visit_day.capacity - (booked or 0), 0)


def registration_is_open(visit_day: VisitDay, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return visit_day.registration_open and today <= visit_day.date


@transaction.atomic
def registration_create(
    *, visit_day: VisitDay, name: str, phone: str, party_size: int
) -> Registration:
    """Register a party to visit. The visit day's row is locked while its places are counted,
    so two parties cannot both take the last places; a phone number holds at most
    ``openday_registrations_per_phone`` registrations a year, each in its own numbered slot
    that the database keeps unique."""
    visit_day = VisitDay.objects.select_for_update().get(pk=visit_day.pk)
    if not registration_is_open(visit_day):
        raise ValidationError(_("Registration for this visit is closed."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter your name.")})
    phone = normalise_phone(phone)
    limit = rules().openday_max_party_size
    if not 1 <= party_size <= limit:
        raise ValidationError({"party_size": _("A party is 1 to %(n)d people.") % {"n": limit}})
    active = Registration.objects.filter(status=Registration.Status.ACTIVE)
    if active.filter(visit_day=visit_day, phone=phone).exists():
        raise ValidationError(
            {"phone": _("This phone number is already registered for this visit.")}
        )
    per_phone = rules().openday_registrations_per_phone
    taken = set(
        active.filter(year=visit_day.year, phone=phone).values_list("phone_slot", flat=True)
    )
    free = [slot for slot in range(1, per_phone + 1) if slot not in taken]
    if not free:
        raise ValidationError(
            {
                "phone": _("One phone number may register for at most %(n)d visits a year.")
                % {"n": per_phone}
            }
        )
    left = places_left(visit_day)
    if party_size > left:
        if left:
            message = _("Only %(n)d places are left.") % {"n": left}
        else:
            message = _("This visit is fully booked.")
        raise ValidationError({"party_size": message})
    registration = Registration(
        visit_day=visit_day,
        year=visit_day.year,
        name=name,
        phone=phone,
        party_size=party_size,
        phone_slot=free[0],
        code=new_code(),
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # Another registration with the same phone won the slot a moment earlier.
        raise ValidationError(
            {"phone": _("This phone number was just used to register. Check your registrations.")}
        ) from None
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_cancellable:
        raise ValidationError(_("This registration is already cancelled."))
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return registration


# Public complaints --------------------------------------------------------------------------------


def _routed_groups(institution: Institution):
    today = timezone.localdate()
    return SupervisionGroup.objects.filter(
        status=SupervisionGroup.Status.ACTIVE,
        assignments__in=Assignment.objects.filter(
            Assignment.active_q(today), institution=institution
        ),
    ).distinct()


@transaction.atomic
def complaint_submit(
    *, institution: Institution, kind: str, text: str, name: str = "", phone: str = ""
) -> PublicComplaint:
    """Receive a complaint or suggestion and route it: to the institution's county bureau and
    to every active supervision group assigned to the institution today."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Tell us what happened or what you suggest.")})
    if phone.strip():
        phone = "".join(ch for ch in phone if ch.isdigit() or ch == "-")
        if not 7 <= len(phone.replace("-", "")) <= 13:
            raise ValidationError({"phone": _("Enter a phone number we can call back.")})
    complaint = PublicComplaint(
        institution=institution,
        kind=kind,
        text=text,
        name=name.strip(),
        phone=phone,
        code=new_code(),
        county_id=institution.county_id,
    )
    save_audited(complaint, actor=None)
    complaint.groups.set(_routed_groups(institution))
    events.complaint_received(complaint)
    return complaint


def _locked(complaint: PublicComplaint, action: str, actor: User) -> PublicComplaint:
    complaint = PublicComplaint.objects.select_for_update().get(pk=complaint.pk)
    complaint_policy.require(action, actor, complaint)
    return complaint


@transaction.atomic
def complaint_forward(*, complaint: PublicComplaint, actor: User, note: str) -> PublicComplaint:
    """A supervisor of a routed group takes the complaint up and forwards it to civil affairs
    (DOMAIN §4): it enters their record as a forwarded complaint."""
    complaint = _locked(complaint, "forward", actor)
    supervisor = own_supervisor(actor)
    summary = complaint.text
    if note.strip():
        summary = f"{note.strip()}\n\n{complaint.text}"
    forwarded = supervisor_services.complaint_forward(
        supervisor=supervisor,
        received_on=timezone.localdate(complaint.received_at),
        summary=summary,
        institution=complaint.institution,
        actor=actor,
    )
    complaint.forwarded_as = forwarded
    complaint.status = PublicComplaint.Status.HANDLING
    return save_audited(complaint, actor=actor, reason=note.strip() or _("Forwarded"))


@transaction.atomic
def complaint_acknowledge(*, complaint: PublicComplaint, actor: User) -> PublicComplaint:
    complaint = _locked(complaint, "acknowledge", actor)
    complaint.status = PublicComplaint.Status.HANDLING
    return save_audited(complaint, actor=actor, reason=_("Being handled"))


@transaction.atomic
def complaint_reply(*, complaint: PublicComplaint, actor: User, reply: str) -> PublicComplaint:
    """Answer the complainant (the reply is shown to whoever holds the code). A complaint a
    supervisor forwarded is closed in the supervisor scheme too."""
    complaint = _locked(complaint, "reply", actor)
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply.")})
    complaint.reply = reply
    complaint.replied_at = timezone.now()
    complaint.replied_by = actor
    complaint.status = PublicComplaint.Status.ANSWERED
    save_audited(complaint, actor=actor, reason=_("Answered"))
    if complaint.forwarded_as_id:
        forwarded = complaint.forwarded_as
        forwarded.status = forwarded.Status.CLOSED
        forwarded.handling_note = reply
        save_audited(forwarded, actor=actor, reason=_("Answered on the public complaint"))
    return complaint
