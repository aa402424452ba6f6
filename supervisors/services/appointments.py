"""The appointment procedure (DOMAIN §4), step by step: nomination (age and consecutive-term limit
checked), vetting, the joint meeting's decision and filing, which begins the term; or turning the
candidate down."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from audit_portal.rules import rules
from supervisors.models import Appointment, Supervisor, Term, VettingFinding
from supervisors.policies import appointment_policy
from supervisors.services.common import _today


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
    appointment_policy.require_nominate_for(actor)
    _check_age(supervisor, invited_on)
    appointment_policy.require_nominate_for(actor, supervisor)
    appointment = Appointment(
        supervisor=supervisor, invited_on=invited_on, nomination_note=note, nominated_by=actor
    )
    if term_limit_override_reason.strip():
        appointment_policy.require("override_term_limit", actor, appointment)
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
    appointment_policy.require("override_term_limit", actor, appointment)
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
    appointment_policy.require("vet", actor, appointment)
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
    appointment_policy.require("decide", actor, appointment)
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
    appointment_policy.require("file", actor, appointment)
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
    appointment_policy.require("turn_down", actor, appointment)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for turning the candidate down.")})
    appointment.turned_down_at_stage = appointment.stage
    appointment.stage = Appointment.Stage.TURNED_DOWN
    appointment.turn_down_reason = reason.strip()
    appointment.turned_down_by = actor
    appointment.turned_down_at = timezone.now()
    return save_audited(appointment, actor=actor, reason=reason)
