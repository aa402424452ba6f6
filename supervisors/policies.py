"""Who may do what in the supervisor scheme, now (see ``audit_portal/core/policy.py``).

The city bureau (home of the joint-meeting office) and administrators run the scheme: they
nominate candidates and take each step of the procedure in order (vetting, the joint meeting's
decision, filing), or turn a candidate down while the procedure is open; only an administrator
overrides the consecutive-term limit. They end a term early, form supervision groups, change
their members, activate a group whose composition meets the rules, assign it to institutions and
end those assignments, handle the complaints and suggestions supervisors forward and record the
trainings they attend. A supervisor accepts the confidentiality undertaking for their own term
and forwards complaints and makes suggestions in their own name.

One policy per model: ``SupervisorPolicy``, ``AppointmentPolicy``, ``TermPolicy``,
``SupervisionGroupPolicy``, ``GroupMembershipPolicy``, ``AssignmentPolicy``,
``ComplaintPolicy``, ``SuggestionPolicy`` and ``EventPolicy``. What has no object yet (a new
record, a nomination from the pipeline) is a ``*_for`` method with its ``allows_*``/``require_*``.

Scope is not a policy's question: the selectors find the objects first (404 outside).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.policy import Policy, Refusal, deny, not_now
from supervisors.models import (
    Appointment,
    Assignment,
    Complaint,
    Event,
    GroupMembership,
    Suggestion,
    SupervisionGroup,
    Supervisor,
    Term,
)

Stage = Appointment.Stage
GroupStatus = SupervisionGroup.Status


@dataclass(frozen=True)
class Refused(Refusal):
    """A state refusal that keeps the error's code, or several reasons at once (a group's
    composition problems), as the services always raised them."""

    code: str | None = None
    messages: tuple[str, ...] = ()


def _not_now(message, code: str | None = None, messages=()) -> Refused:
    return Refused(str(message), code=code, messages=tuple(str(m) for m in messages))


def _raise(refusal: Refusal | None) -> None:
    """``PermissionDenied`` for who the user is, ``ValidationError`` with the reason(s) for the
    object's state or the time."""
    if refusal is None:
        return
    if refusal.role:
        raise PermissionDenied(refusal.message)
    if isinstance(refusal, Refused):
        raise ValidationError(list(refusal.messages) or refusal.message, code=refusal.code)
    raise ValidationError(refusal.message)


def _role(user: User, perm: str) -> Refusal | None:
    if not user.is_authenticated or not user.has_perm(perm):
        return deny()
    return None


class _Policy(Policy):
    def require(self, action: str, user, obj) -> None:
        _raise(self.check(action, user, obj))


# Supervisors -----------------------------------------------------------------------------------


class SupervisorPolicy(_Policy):
    actions = ("change", "reveal_id_number", "nominate")

    def create_for(self, user: User) -> Refusal | None:
        """Record a new supervisor."""
        return _role(user, "supervisors.add_supervisor")

    def allows_create_for(self, user: User) -> bool:
        return self.create_for(user) is None

    def require_create_for(self, user: User) -> None:
        _raise(self.create_for(user))

    def change(self, user: User, supervisor: Supervisor) -> Refusal | None:
        return _role(user, "supervisors.change_supervisor")

    def reveal_id_number(self, user: User, supervisor: Supervisor) -> Refusal | None:
        """The full ID number, shown (and logged) to the roles that need it."""
        return _role(user, "supervisors.view_full_id_number")

    def nominate(self, user: User, supervisor: Supervisor) -> Refusal | None:
        """Nominate this supervisor for a term (the record's page links to the nomination)."""
        return appointment_policy.nominate_for(user)


supervisor_policy = SupervisorPolicy()


# The appointment procedure ---------------------------------------------------------------------


def _stage(appointment: Appointment, stage: str) -> Refusal | None:
    if appointment.stage != stage:
        return _not_now(
            _(
                "This step cannot be taken now: the procedure is at “%(current)s” and this step "
                "follows “%(needed)s”. Steps go in order: nomination, vetting, decision by the "
                "joint meeting, filing."
            )
            % {"current": appointment.get_stage_display(), "needed": Stage(stage).label},
            code="stage_order",
        )
    return None


def _open(appointment: Appointment) -> Refusal | None:
    if not appointment.is_open:
        return not_now(_("The procedure is closed."))
    return None


class AppointmentPolicy(_Policy):
    actions = ("vet", "decide", "file", "turn_down", "override_term_limit")

    def nominate_for(self, user: User, supervisor: Supervisor | None = None) -> Refusal | None:
        """Nominate a candidate (the joint-meeting office); with a supervisor, also whether a
        procedure of theirs is still in progress (one at a time)."""
        if refusal := _role(user, "supervisors.run_appointments"):
            return refusal
        if (
            supervisor is not None
            and supervisor.appointments.filter(
                stage__in=[Stage.NOMINATED, Stage.VETTED, Stage.DECIDED]
            ).exists()
        ):
            return _not_now(
                _("%(name)s already has a procedure in progress.") % {"name": supervisor},
                code="in_progress",
            )
        return None

    def allows_nominate_for(self, user: User, supervisor: Supervisor | None = None) -> bool:
        return self.nominate_for(user, supervisor) is None

    def require_nominate_for(self, user: User, supervisor: Supervisor | None = None) -> None:
        _raise(self.nominate_for(user, supervisor))

    def nomination_actions(self, user: User) -> frozenset[str]:
        """What the pipeline and the nomination form offer: ``nominate``, and
        ``override_term_limit`` for whoever may override the limit on a new procedure."""
        actions = set()
        if self.allows_nominate_for(user):
            actions.add("nominate")
        if self.allows("override_term_limit", user, Appointment()):
            actions.add("override_term_limit")
        return frozenset(actions)

    def _run(self, user: User) -> Refusal | None:
        return _role(user, "supervisors.run_appointments")

    def vet(self, user: User, appointment: Appointment) -> Refusal | None:
        """Step 2: record the vetting of a nominated candidate."""
        return self._run(user) or _stage(appointment, Stage.NOMINATED)

    def decide(self, user: User, appointment: Appointment) -> Refusal | None:
        """Step 3: record the joint meeting's decision on a vetted candidate."""
        return self._run(user) or _stage(appointment, Stage.VETTED)

    def file(self, user: User, appointment: Appointment) -> Refusal | None:
        """Step 4: notify the employer and file the appointment; the term begins."""
        return self._run(user) or _stage(appointment, Stage.DECIDED)

    def turn_down(self, user: User, appointment: Appointment) -> Refusal | None:
        """At any step before filing."""
        return self._run(user) or _open(appointment)

    def override_term_limit(self, user: User, appointment: Appointment) -> Refusal | None:
        """An administrator lets an open procedure go past the consecutive-term limit."""
        return _role(user, "supervisors.override_term_limit") or _open(appointment)


appointment_policy = AppointmentPolicy()


# Terms -----------------------------------------------------------------------------------------


class TermPolicy(_Policy):
    actions = ("end_early", "accept_undertaking", "letter")

    def end_early(self, user: User, term: Term) -> Refusal | None:
        """Resignation or dismissal, once."""
        if refusal := _role(user, "supervisors.change_term"):
            return refusal
        if term.terminated_on:
            return not_now(_("This term has already ended early."))
        return None

    def accept_undertaking(self, user: User, term: Term) -> Refusal | None:
        """The supervisor themself, once per term, while the term has not ended."""
        if not user.is_authenticated or term.supervisor.user_id != user.pk:
            return deny()
        if term.undertaking_accepted_at:
            return not_now(_("You have already accepted the undertaking for this term."))
        if term.effective_last_day < timezone.localdate():
            return not_now(_("This term has ended."))
        return None

    def letter(self, user: User, term: Term) -> Refusal | None:
        """The appointment letter (PDF), for those who read terms."""
        return _role(user, "supervisors.view_term")


term_policy = TermPolicy()


# Supervision groups ----------------------------------------------------------------------------


class SupervisionGroupPolicy(_Policy):
    actions = ("rename", "add_member", "activate", "assign")

    def create_for(self, user: User) -> Refusal | None:
        return _role(user, "supervisors.add_supervisiongroup")

    def allows_create_for(self, user: User) -> bool:
        return self.create_for(user) is None

    def require_create_for(self, user: User) -> None:
        _raise(self.create_for(user))

    def _change(self, user: User) -> Refusal | None:
        return _role(user, "supervisors.change_supervisiongroup")

    def rename(self, user: User, group: SupervisionGroup) -> Refusal | None:
        return self._change(user)

    def add_member(self, user: User, group: SupervisionGroup) -> Refusal | None:
        """Add a member (the group's size, roles and the supervisor's term are the service's
        to check on the supervisor chosen)."""
        if refusal := self._change(user):
            return refusal
        if group.status == GroupStatus.DISSOLVED:
            return not_now(_("The group is dissolved."))
        return None

    def activate(self, user: User, group: SupervisionGroup) -> Refusal | None:
        """A group that is not active, once its composition meets the rules."""
        if refusal := self._change(user):
            return refusal
        if group.status == GroupStatus.ACTIVE:
            return not_now(_("The group is already active."))
        problems = group.composition_problems(timezone.localdate())
        if problems:
            return _not_now(problems[0], code="composition", messages=problems)
        return None

    def activation_waits(self, user: User, group: SupervisionGroup) -> bool:
        """The user would activate this group but its composition does not meet the rules yet
        (the page shows the button disabled, under what is missing)."""
        refusal = self.check("activate", user, group)
        return isinstance(refusal, Refused) and refusal.code == "composition"

    def assign(self, user: User, group: SupervisionGroup) -> Refusal | None:
        """Assign the group to an institution (one the user's scope holds)."""
        return _role(user, "supervisors.add_assignment")


group_policy = SupervisionGroupPolicy()


class GroupMembershipPolicy(_Policy):
    actions = ("remove",)

    def remove(self, user: User, membership: GroupMembership) -> Refusal | None:
        if refusal := _role(user, "supervisors.change_supervisiongroup"):
            return refusal
        if membership.left_on:
            return not_now(_("This member has already left the group."))
        return None


membership_policy = GroupMembershipPolicy()


class AssignmentPolicy(_Policy):
    actions = ("end",)

    def end(self, user: User, assignment: Assignment) -> Refusal | None:
        if refusal := _role(user, "supervisors.change_assignment"):
            return refusal
        if assignment.ends_on:
            return not_now(_("This assignment has already ended."))
        return None


assignment_policy = AssignmentPolicy()


# Activity --------------------------------------------------------------------------------------


def _own(user: User, supervisor: Supervisor) -> Refusal | None:
    if not user.is_authenticated or supervisor.user_id != user.pk:
        return deny()
    return None


class ComplaintPolicy(_Policy):
    actions = ("update",)

    def forward_for(self, user: User, supervisor: Supervisor) -> Refusal | None:
        """A supervisor forwards a complaint in their own name."""
        return _own(user, supervisor)

    def require_forward_for(self, user: User, supervisor: Supervisor) -> None:
        _raise(self.forward_for(user, supervisor))

    def update(self, user: User, complaint: Complaint) -> Refusal | None:
        """Civil affairs' handling of a forwarded complaint."""
        return _role(user, "supervisors.change_complaint")


complaint_policy = ComplaintPolicy()


class SuggestionPolicy(_Policy):
    actions = ("respond",)

    def make_for(self, user: User, supervisor: Supervisor) -> Refusal | None:
        """A supervisor makes a suggestion in their own name."""
        return _own(user, supervisor)

    def require_make_for(self, user: User, supervisor: Supervisor) -> None:
        _raise(self.make_for(user, supervisor))

    def respond(self, user: User, suggestion: Suggestion) -> Refusal | None:
        return _role(user, "supervisors.change_suggestion")


suggestion_policy = SuggestionPolicy()


class EventPolicy(_Policy):
    actions = ("update",)

    def record_for(self, user: User) -> Refusal | None:
        """Record a training or symposium and who attended."""
        return _role(user, "supervisors.add_event")

    def allows_record_for(self, user: User) -> bool:
        return self.record_for(user) is None

    def require_record_for(self, user: User) -> None:
        _raise(self.record_for(user))

    def update(self, user: User, event: Event) -> Refusal | None:
        return _role(user, "supervisors.change_event")


event_policy = EventPolicy()
