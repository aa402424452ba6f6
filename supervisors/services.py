"""Writes of the supervisor scheme. Each is atomic, leaves history with actor and reason, and
refuses what the rules refuse (DOMAIN §4) with a message staff can act on."""

import datetime

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited, stamp
from audit_portal.rules import rules
from inspections.models import Institution
from supervisors.models import (
    Appointment,
    Assignment,
    Complaint,
    Event,
    GroupMembership,
    IdNumberView,
    Suggestion,
    SupervisionGroup,
    Supervisor,
    Term,
    VettingFinding,
)

UNDERTAKING_VERSION = "2026-1"

# Object permissions an assignment gives each member of the group on the institution. The
# custom ones live on the institution's content type so that one guardian check answers them.
SUPERVISION_PERMISSIONS = {
    "view_institution": None,
    "take_part_in_inspection": gettext_lazy("Can take part in inspections (supervisor)"),
    "raise_issue": gettext_lazy("Can raise issues (supervisor)"),
    "verify_rectification": gettext_lazy("Can verify rectification (supervisor)"),
}

SUPERVISOR_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "id_number",
    "employer",
    "title",
    "expertise",
    "phone",
    "email",
    "user",
)


def _today() -> datetime.date:
    return timezone.localdate()


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied


# Supervisors -----------------------------------------------------------------------------------


@transaction.atomic
def supervisor_create(*, actor: User, reason: str = "", **fields) -> Supervisor:
    _require(actor, "supervisors.add_supervisor")
    supervisor = Supervisor(**{name: fields[name] for name in SUPERVISOR_FIELDS if name in fields})
    return save_audited(supervisor, actor=actor, reason=reason)


@transaction.atomic
def supervisor_update(*, supervisor: Supervisor, actor: User, reason: str, **fields) -> Supervisor:
    _require(actor, "supervisors.change_supervisor")
    previous_user_id = supervisor.user_id
    for name, value in fields.items():
        if name not in SUPERVISOR_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(supervisor, name, value)
    save_audited(supervisor, actor=actor, reason=reason)
    supervisor_account_changed(supervisor=supervisor, previous_user_id=previous_user_id)
    return supervisor


def supervisor_account_changed(*, supervisor: Supervisor, previous_user_id: int | None) -> None:
    """After the record's user account changed (here or in the admin): the grants of the groups
    the supervisor works in move to the new account at once."""
    if supervisor.user_id == previous_user_id:
        return
    if previous_user_id is not None:
        UserObjectPermission.objects.filter(
            user_id=previous_user_id,
            content_type=ContentType.objects.get_for_model(Institution),
            permission__in=_permissions(),
        ).delete()
    _sync_grants(supervisor)


@transaction.atomic
def supervisor_reveal_id_number(*, supervisor: Supervisor, actor: User) -> str:
    """The full ID number, for the roles that need it; every display is logged."""
    _require(actor, "supervisors.view_full_id_number")
    id_number_view_log(supervisor=supervisor, viewer=actor)
    return supervisor.id_number


def id_number_view_log(*, supervisor: Supervisor, viewer: User) -> IdNumberView:
    """Log one display of ``supervisor``'s full ID number to ``viewer``: called once per page
    that shows it (the roster's "show full number", the admin's pages of one supervisor)."""
    return IdNumberView.objects.create(supervisor=supervisor, viewer=viewer)


# The appointment procedure -----------------------------------------------------------------------


def _check_age(supervisor: Supervisor, invited_on: datetime.date) -> None:
    limit = rules().supervisor_max_age_at_invitation
    age = supervisor.age_on(invited_on)
    if age > limit:
        raise ValidationError(
            _(
                "%(name)s is %(age)d on the invitation date %(date)s; a supervisor is invited "
                "at %(limit)d or under."
            )
            % {"name": supervisor, "age": age, "date": invited_on.isoformat(), "limit": limit},
            code="too_old",
        )


def consecutive_terms_before(supervisor: Supervisor, starts_on: datetime.date) -> int:
    """How many terms in a row the supervisor will have served when a term starts on
    ``starts_on``. A gap of ``supervisor_term_break_days`` or more resets the count."""
    previous = supervisor.terms.filter(starts_on__lt=starts_on).order_by("-starts_on").first()
    if previous is None:
        return 0
    gap = (starts_on - previous.effective_last_day).days - 1
    if gap < 0:
        raise ValidationError(
            _("The new term would overlap %(term)s.") % {"term": previous}, code="overlap"
        )
    if gap >= rules().supervisor_term_break_days:
        return 0
    return previous.consecutive_number


def _check_term_limit(appointment: Appointment, starts_on: datetime.date) -> int:
    """The consecutive number the new term would get; refuses one over the limit unless an
    administrator recorded an override on this appointment."""
    served = consecutive_terms_before(appointment.supervisor, starts_on)
    limit = rules().supervisor_max_consecutive_terms
    if served >= limit and not appointment.term_limit_override_reason:
        raise ValidationError(
            _(
                "%(name)s has served %(served)d consecutive terms; no more than %(limit)d "
                "consecutive terms are allowed. A break between terms resets the count; "
                "otherwise an administrator must override the limit and record why."
            )
            % {"name": appointment.supervisor, "served": served, "limit": limit},
            code="term_limit",
        )
    return served + 1


def _expect_stage(appointment: Appointment, stage: str) -> None:
    if appointment.stage != stage:
        raise ValidationError(
            _(
                "This step cannot be taken now: the procedure is at “%(current)s” and this step "
                "follows “%(needed)s”. Steps go in order: nomination, vetting, decision by the "
                "joint meeting, filing."
            )
            % {
                "current": appointment.get_stage_display(),
                "needed": Appointment.Stage(stage).label,
            },
            code="stage_order",
        )


@transaction.atomic
def appointment_nominate(
    *,
    supervisor: Supervisor,
    invited_on: datetime.date,
    actor: User,
    note: str = "",
    term_limit_override_reason: str = "",
) -> Appointment:
    """Step 1: the joint-meeting office nominates a candidate (age checked on ``invited_on``)."""
    _require(actor, "supervisors.run_appointments")
    _check_age(supervisor, invited_on)
    if supervisor.appointments.filter(
        stage__in=[Appointment.Stage.NOMINATED, Appointment.Stage.VETTED, Appointment.Stage.DECIDED]
    ).exists():
        raise ValidationError(
            _("%(name)s already has a procedure in progress.") % {"name": supervisor},
            code="in_progress",
        )
    appointment = Appointment(
        supervisor=supervisor, invited_on=invited_on, nomination_note=note, nominated_by=actor
    )
    if term_limit_override_reason.strip():
        _require(actor, "supervisors.override_term_limit")
        appointment.term_limit_override_reason = term_limit_override_reason.strip()
        appointment.term_limit_override_by = actor
    # Refuse early what filing would refuse: a term starting on the invitation date.
    running = supervisor.terms.filter(Term.active_q(invited_on)).first()
    _check_term_limit(
        appointment,
        running.effective_last_day + datetime.timedelta(days=1) if running else invited_on,
    )
    return save_audited(appointment, actor=actor, reason=_("Nominated"))


@transaction.atomic
def appointment_override_term_limit(
    *, appointment: Appointment, actor: User, reason: str
) -> Appointment:
    _require(actor, "supervisors.override_term_limit")
    if not appointment.is_open:
        raise ValidationError(_("The procedure is closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the override.")})
    appointment.term_limit_override_reason = reason.strip()
    appointment.term_limit_override_by = actor
    return save_audited(
        appointment,
        actor=actor,
        reason=_("Term limit overridden: %(reason)s") % {"reason": reason.strip()},
    )


@transaction.atomic
def appointment_vet(
    *, appointment: Appointment, findings: dict[str, tuple[bool, str]], actor: User
) -> Appointment:
    """Step 2: vetting (考察) records a finding on every condition; all must be met."""
    _require(actor, "supervisors.run_appointments")
    _expect_stage(appointment, Appointment.Stage.NOMINATED)
    missing = [c.label for c in VettingFinding.Condition if c not in findings]
    if missing:
        raise ValidationError(
            _("Record a finding on every condition: %(missing)s.")
            % {"missing": "、".join(str(m) for m in missing)},
            code="findings_incomplete",
        )
    failed = [VettingFinding.Condition(c).label for c, (met, _note) in findings.items() if not met]
    if failed:
        raise ValidationError(
            _("The candidate does not meet: %(failed)s. Turn the candidate down instead.")
            % {"failed": "、".join(str(f) for f in failed)},
            code="condition_not_met",
        )
    for condition, (met, note) in findings.items():
        finding = VettingFinding(appointment=appointment, condition=condition, met=met, note=note)
        save_audited(finding, actor=actor)
    appointment.stage = Appointment.Stage.VETTED
    appointment.vetted_by = actor
    appointment.vetted_at = timezone.now()
    return save_audited(appointment, actor=actor, reason=_("Vetted"))


@transaction.atomic
def appointment_decide(
    *, appointment: Appointment, meeting_date: datetime.date, minutes_reference: str, actor: User
) -> Appointment:
    """Step 3: the joint meeting decides to appoint (date and minutes reference)."""
    _require(actor, "supervisors.run_appointments")
    _expect_stage(appointment, Appointment.Stage.VETTED)
    if meeting_date > _today():
        raise ValidationError({"meeting_date": _("Record a decision once the meeting is held.")})
    if meeting_date < appointment.invited_on:
        raise ValidationError(
            {"meeting_date": _("The joint meeting cannot decide before the invitation.")}
        )
    if not minutes_reference.strip():
        raise ValidationError({"minutes_reference": _("Give the minutes reference.")})
    appointment.stage = Appointment.Stage.DECIDED
    appointment.meeting_date = meeting_date
    appointment.minutes_reference = minutes_reference.strip()
    appointment.decided_by = actor
    appointment.decided_at = timezone.now()
    return save_audited(appointment, actor=actor, reason=_("Decided by the joint meeting"))


@transaction.atomic
def appointment_file(
    *,
    appointment: Appointment,
    starts_on: datetime.date,
    employer_notified_on: datetime.date,
    filing_number: str,
    actor: User,
) -> Term:
    """Step 4: the employer is notified and the appointment filed (备案); the term begins."""
    _require(actor, "supervisors.run_appointments")
    _expect_stage(appointment, Appointment.Stage.DECIDED)
    if not filing_number.strip():
        raise ValidationError({"filing_number": _("Give the filing number.")})
    if starts_on < appointment.meeting_date:
        raise ValidationError(
            {"starts_on": _("The appointment cannot start before the joint meeting decided it.")}
        )
    supervisor = appointment.supervisor
    consecutive = _check_term_limit(appointment, starts_on)
    appointment.stage = Appointment.Stage.FILED
    appointment.employer_notified_on = employer_notified_on
    appointment.filing_number = filing_number.strip()
    appointment.filed_by = actor
    appointment.filed_at = timezone.now()
    save_audited(appointment, actor=actor, reason=_("Employer notified and appointment filed"))
    term = Term(
        supervisor=supervisor,
        appointment=appointment,
        number=supervisor.terms.count() + 1,
        consecutive_number=consecutive,
        starts_on=starts_on,
        last_day=Term.last_day_for(starts_on),
    )
    return save_audited(term, actor=actor)


@transaction.atomic
def appointment_turn_down(*, appointment: Appointment, reason: str, actor: User) -> Appointment:
    """A candidate may be turned down at any step before filing, with a reason."""
    _require(actor, "supervisors.run_appointments")
    if not appointment.is_open:
        raise ValidationError(_("The procedure is closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for turning the candidate down.")})
    appointment.turned_down_at_stage = appointment.stage
    appointment.stage = Appointment.Stage.TURNED_DOWN
    appointment.turn_down_reason = reason.strip()
    appointment.turned_down_by = actor
    appointment.turned_down_at = timezone.now()
    return save_audited(appointment, actor=actor, reason=reason)


# Terms -------------------------------------------------------------------------------------------


@transaction.atomic
def term_end_early(*, term: Term, kind: str, on: datetime.date, reason: str, actor: User) -> Term:
    """Resignation or dismissal: from ``on`` the supervisor has no access."""
    _require(actor, "supervisors.change_term")
    if term.terminated_on:
        raise ValidationError(_("This term has already ended early."))
    if not term.starts_on < on <= term.last_day:
        raise ValidationError(
            {"on": _("Choose a day after the term began and no later than its last day.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    term.terminated_on = on
    term.end_kind = kind
    term.end_reason = reason.strip()
    save_audited(term, actor=actor, reason=reason)
    _sync_grants(term.supervisor)
    return term


@transaction.atomic
def undertaking_accept(*, term: Term, actor: User) -> Term:
    """The supervisor accepts the confidentiality undertaking themself, once per term."""
    if term.supervisor.user_id != actor.pk:
        raise PermissionDenied
    if term.undertaking_accepted_at:
        raise ValidationError(_("You have already accepted the undertaking for this term."))
    if term.effective_last_day < _today():
        raise ValidationError(_("This term has ended."))
    term.undertaking_accepted_at = timezone.now()
    term.undertaking_version = UNDERTAKING_VERSION
    return save_audited(term, actor=actor, reason=_("Confidentiality undertaking accepted"))


# Groups and assignments --------------------------------------------------------------------------


@transaction.atomic
def group_create(*, name: str, actor: User) -> SupervisionGroup:
    _require(actor, "supervisors.add_supervisiongroup")
    return save_audited(SupervisionGroup(name=name), actor=actor)


@transaction.atomic
def group_rename(
    *, group: SupervisionGroup, name: str, actor: User, reason: str
) -> SupervisionGroup:
    """Correct a group's name; its members, status and assignments are untouched."""
    _require(actor, "supervisors.change_supervisiongroup")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    group.name = name
    return save_audited(group, actor=actor, reason=reason)


@transaction.atomic
def group_add_member(
    *,
    group: SupervisionGroup,
    supervisor: Supervisor,
    role: str,
    actor: User,
    on: datetime.date | None = None,
) -> GroupMembership:
    _require(actor, "supervisors.change_supervisiongroup")
    on = on or _today()
    if group.status == SupervisionGroup.Status.DISSOLVED:
        raise ValidationError(_("The group is dissolved."))
    current = list(group.current_memberships())
    if any(m.supervisor_id == supervisor.pk for m in current):
        raise ValidationError(_("%(name)s is already in the group.") % {"name": supervisor})
    if len(current) >= rules().supervisor_group_max:
        raise ValidationError(
            _("A group has at most %(n)d members.") % {"n": rules().supervisor_group_max}
        )
    if role != GroupMembership.Role.MEMBER and any(m.role == role for m in current):
        raise ValidationError(
            _("The group already has a %(role)s.")
            % {"role": GroupMembership.Role(role).label.lower()}
        )
    if supervisor.term_on(on) is None:
        raise ValidationError(_("%(name)s has no term running.") % {"name": supervisor})
    membership = save_audited(
        GroupMembership(group=group, supervisor=supervisor, role=role, joined_on=on), actor=actor
    )
    _sync_grants(supervisor)
    return membership


@transaction.atomic
def group_remove_member(
    *, membership: GroupMembership, actor: User, reason: str, on: datetime.date | None = None
) -> GroupMembership:
    _require(actor, "supervisors.change_supervisiongroup")
    if membership.left_on:
        raise ValidationError(_("This member has already left the group."))
    membership.left_on = on or _today()
    save_audited(membership, actor=actor, reason=reason)
    group = membership.group
    if group.status == SupervisionGroup.Status.ACTIVE and group.composition_problems(_today()):
        # A group that no longer meets the rules cannot stay active.
        group.status = SupervisionGroup.Status.FORMING
        save_audited(
            group, actor=actor, reason=_("Composition changed: %(reason)s") % {"reason": reason}
        )
    _sync_group(group)
    _sync_grants(membership.supervisor)
    return membership


@transaction.atomic
def group_activate(*, group: SupervisionGroup, actor: User) -> SupervisionGroup:
    _require(actor, "supervisors.change_supervisiongroup")
    if group.status == SupervisionGroup.Status.ACTIVE:
        raise ValidationError(_("The group is already active."))
    problems = group.composition_problems(_today())
    if problems:
        raise ValidationError(problems, code="composition")
    group.status = SupervisionGroup.Status.ACTIVE
    save_audited(group, actor=actor, reason=pgettext("supervisors", "Activated"))
    _sync_group(group)
    return group


@transaction.atomic
def group_assign(
    *,
    group: SupervisionGroup,
    institution: Institution,
    actor: User,
    starts_on: datetime.date | None = None,
) -> Assignment:
    _require(actor, "supervisors.add_assignment")
    if group.assignments.filter(institution=institution, ends_on__isnull=True).exists():
        raise ValidationError(_("The group is already assigned to this institution."))
    assignment = save_audited(
        Assignment(group=group, institution=institution, starts_on=starts_on or _today()),
        actor=actor,
    )
    _sync_group(group)
    return assignment


@transaction.atomic
def assignment_end(
    *, assignment: Assignment, actor: User, reason: str, on: datetime.date | None = None
) -> Assignment:
    _require(actor, "supervisors.change_assignment")
    if assignment.ends_on:
        raise ValidationError(_("This assignment has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    on = on or _today()
    # The assignment's last day is the day before ``on``: access ends on ``on``.
    assignment.ends_on = max(on - datetime.timedelta(days=1), assignment.starts_on)
    assignment.end_reason = reason.strip()
    save_audited(assignment, actor=actor, reason=reason)
    _sync_group(assignment.group)
    return assignment


def _permissions() -> list[Permission]:
    content_type = ContentType.objects.get_for_model(Institution)
    permissions = []
    for codename, name in SUPERVISION_PERMISSIONS.items():
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": str(name or codename)},
        )
        permissions.append(permission)
    return permissions


def _sync_group(group: SupervisionGroup) -> None:
    for membership in group.memberships.select_related("supervisor"):
        _sync_grants(membership.supervisor)


def _sync_grants(supervisor: Supervisor) -> None:
    """Make the supervisor's guardian grants match their current group assignments.

    The grants are a standing record of *where* a supervisor works; *whether* they may work today
    (term running, undertaking accepted) is checked at request time by the selectors.
    """
    user = supervisor.user
    if user is None:
        return
    wanted = set(
        Assignment.objects.filter(
            ends_on__isnull=True,
            group__status=SupervisionGroup.Status.ACTIVE,
            group__memberships__supervisor=supervisor,
            group__memberships__left_on__isnull=True,
        ).values_list("institution_id", flat=True)
    )
    permissions = _permissions()
    content_type = ContentType.objects.get_for_model(Institution)
    held = UserObjectPermission.objects.filter(
        user=user, content_type=content_type, permission__in=permissions
    )
    held.exclude(object_pk__in=[str(pk) for pk in wanted]).delete()
    for institution in Institution.objects.filter(pk__in=wanted):
        for permission in permissions:
            assign_perm(permission, user, institution)


# Activity ----------------------------------------------------------------------------------------


@transaction.atomic
def complaint_forward(
    *,
    supervisor: Supervisor,
    received_on: datetime.date,
    summary: str,
    institution: Institution | None,
    actor: User,
) -> Complaint:
    if supervisor.user_id != actor.pk:
        raise PermissionDenied
    complaint = Complaint(
        supervisor=supervisor, received_on=received_on, summary=summary, institution=institution
    )
    return save_audited(complaint, actor=actor)


@transaction.atomic
def complaint_update(
    *, complaint: Complaint, status: str, note: str, actor: User, reason: str = ""
) -> Complaint:
    """The handling of a forwarded complaint; the history keeps ``reason`` (the handling note
    when no separate reason is given, as on the complaints page)."""
    _require(actor, "supervisors.change_complaint")
    complaint.status = status
    complaint.handling_note = note
    return save_audited(complaint, actor=actor, reason=reason or note)


@transaction.atomic
def suggestion_make(
    *, supervisor: Supervisor, text: str, institution: Institution | None, actor: User
) -> Suggestion:
    if supervisor.user_id != actor.pk:
        raise PermissionDenied
    suggestion = Suggestion(
        supervisor=supervisor, text=text, institution=institution, made_on=_today()
    )
    return save_audited(suggestion, actor=actor)


@transaction.atomic
def suggestion_respond(
    *, suggestion: Suggestion, response: str, actor: User, reason: str = ""
) -> Suggestion:
    """Civil affairs' response to a supervisor's suggestion."""
    _require(actor, "supervisors.change_suggestion")
    suggestion.response = response
    return save_audited(suggestion, actor=actor, reason=reason)


@transaction.atomic
def event_record(
    *,
    kind: str,
    title: str,
    held_on: datetime.date,
    place: str,
    attendees: list[Supervisor],
    actor: User,
) -> Event:
    _require(actor, "supervisors.add_event")
    event = save_audited(Event(kind=kind, title=title, held_on=held_on, place=place), actor=actor)
    event.attendees.set(attendees)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: User,
    reason: str = "",
    kind: str,
    title: str,
    held_on: datetime.date,
    place: str,
    attendees: list[Supervisor],
) -> Event:
    """Correct a training or symposium: its details and who attended."""
    _require(actor, "supervisors.change_event")
    event.kind, event.title, event.held_on, event.place = kind, title, held_on, place
    save_audited(event, actor=actor, reason=reason)
    # A change of attendees writes its own history row: it carries the same actor and reason.
    stamp(event, actor=actor, reason=reason)
    event.attendees.set(attendees)
    return event
