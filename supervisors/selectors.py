"""Reads of the supervisor scheme, scoped to the asking user."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from audit_portal.accounts.models import Organisation, User
from audit_portal.rules import rules
from inspections.selectors import institutions_for
from inspections.selectors.inspections import inspections_for, issues_for
from supervisors.models import (
    Appointment,
    Assignment,
    GroupMembership,
    SupervisionGroup,
    Supervisor,
    Term,
)


def _today() -> datetime.date:
    return timezone.localdate()


def _working_assignments(day: datetime.date) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        Assignment.active_q(day), group__status=SupervisionGroup.Status.ACTIVE
    )


def supervised_institutions(user: User, institutions: QuerySet) -> QuerySet:
    """The institutions a supervisor may see today.

    All four must hold *today*, at request time: a term running (the day after its last day,
    or from the day it ends early, access is gone), the confidentiality undertaking accepted
    for that term, an active assignment of an active group the supervisor currently belongs to,
    and the guardian grant that the assignment gave.
    """
    today = _today()
    working = Term.objects.filter(
        Term.active_q(today),
        supervisor__user=user,
        undertaking_accepted_at__isnull=False,
    )
    assigned = _working_assignments(today).filter(
        institution=OuterRef("pk"),
        group__memberships__supervisor__user=user,
        group__memberships__left_on__isnull=True,
    )
    granted = get_objects_for_user(
        user,
        "inspections.view_institution",
        klass=institutions,
        accept_global_perms=False,
        with_superuser=False,
    )
    # The running term is part of the same query (one EXISTS), not a query of its own: a page
    # asks this several times (institutions, inspections, issues, complaints).
    return granted.filter(Exists(working), Exists(assigned))


def assigned_supervisor_users(institution) -> QuerySet[User]:
    """The user accounts of the supervisors working at ``institution`` today: an active term
    with the undertaking accepted, in a group currently assigned to it."""
    today = _today()
    assigned = _working_assignments(today).filter(
        institution=institution,
        group__memberships__supervisor__user=OuterRef("pk"),
        group__memberships__left_on__isnull=True,
    )
    working = Term.objects.filter(
        Term.active_q(today),
        supervisor__user=OuterRef("pk"),
        undertaking_accepted_at__isnull=False,
    )
    return User.objects.filter(
        Exists(assigned), Exists(working), is_active=True, role=User.Role.SUPERVISOR
    )


def supervisors_not_on_team(institution) -> list[dict]:
    """The current members of the groups assigned to ``institution`` who cannot join an
    inspection team today (the rule of ``assigned_supervisor_users``), each with the reason, so
    the team picker can say why a group member is missing. Two queries."""
    today = _today()
    groups = _working_assignments(today).filter(institution=institution).values("group_id")
    members = (
        GroupMembership.objects.filter(group_id__in=groups, left_on__isnull=True)
        .select_related("supervisor__user")
        .order_by("supervisor__full_name")
    )
    members = list(members)
    terms = {
        term.supervisor_id: term
        for term in Term.objects.filter(
            Term.active_q(today), supervisor_id__in=[m.supervisor_id for m in members]
        )
    }
    missing = []
    seen = set()
    for membership in members:
        supervisor = membership.supervisor
        if supervisor.pk in seen:
            continue
        seen.add(supervisor.pk)
        term = terms.get(supervisor.pk)
        if supervisor.user is None or not supervisor.user.is_active:
            reason = _("has no user account yet: ask the administrator to create one")
        elif term is None:
            reason = _("has no term running today")
        elif term.undertaking_accepted_at is None:
            reason = _("has not yet accepted the confidentiality undertaking for this term")
        else:
            continue
        missing.append({"name": supervisor.full_name, "reason": reason})
    return missing


def group_supervisor_users(group_ids) -> QuerySet[User]:
    """The active accounts of the current members of the given groups."""
    members = GroupMembership.objects.filter(
        group_id__in=list(group_ids), left_on__isnull=True, supervisor__user=OuterRef("pk")
    )
    return User.objects.filter(Exists(members), is_active=True, role=User.Role.SUPERVISOR)


def supervisors_working_at(institution_ids, day: datetime.date) -> dict[int, set[int]]:
    """For many institutions at once, the user ids of the supervisors working at each on
    ``day`` (the rule of ``assigned_supervisor_users``), in two queries."""
    groups: dict[int, set[int]] = {}
    for institution_id, group_id in (
        _working_assignments(day)
        .filter(institution_id__in=list(institution_ids))
        .values_list("institution_id", "group_id")
    ):
        groups.setdefault(group_id, set()).add(institution_id)
    working = Term.objects.filter(
        Term.active_q(day), supervisor=OuterRef("supervisor"), undertaking_accepted_at__isnull=False
    )
    members = GroupMembership.objects.filter(
        Exists(working),
        group_id__in=list(groups),
        left_on__isnull=True,
        supervisor__user__is_active=True,
        supervisor__user__role=User.Role.SUPERVISOR,
    ).values_list("group_id", "supervisor__user_id")
    found: dict[int, set[int]] = {}
    for group_id, user_id in members:
        for institution_id in groups[group_id]:
            found.setdefault(institution_id, set()).add(user_id)
    return found


def own_supervisor(user: User) -> Supervisor | None:
    if not user.is_authenticated or not user.is_supervisor:
        return None
    return Supervisor.objects.filter(user=user).first()


def supervisors_for(user: User) -> QuerySet[Supervisor]:
    """Admin and the city bureau: every supervisor. A county bureau: those whose group works
    in its county today. Everyone else: none (their pages answer 404)."""
    supervisors = Supervisor.objects.all()
    if not user.is_authenticated or not user.is_active:
        return supervisors.none()
    if user.is_admin:
        return supervisors
    if not user.is_civil_affairs_staff or not user.has_perm("supervisors.view_supervisor"):
        return supervisors.none()
    if user.organisation_kind == Organisation.Kind.CITY:
        return supervisors
    if user.organisation_kind == Organisation.Kind.COUNTY:
        in_county = _working_assignments(_today()).filter(
            institution__county_id=user.organisation_id,
            group__memberships__supervisor=OuterRef("pk"),
            group__memberships__left_on__isnull=True,
        )
        return supervisors.filter(Exists(in_county))
    return supervisors.none()


def groups_for(user: User) -> QuerySet[SupervisionGroup]:
    groups = SupervisionGroup.objects.all()
    if not user.is_authenticated or not user.has_perm("supervisors.view_supervisiongroup"):
        return groups.none()
    if user.is_admin or user.organisation_kind == Organisation.Kind.CITY:
        return groups
    if user.organisation_kind == Organisation.Kind.COUNTY:
        return groups.filter(
            Exists(
                _working_assignments(_today()).filter(
                    group=OuterRef("pk"), institution__county_id=user.organisation_id
                )
            )
        )
    return groups.none()


def with_current_term(supervisors: QuerySet[Supervisor], day: datetime.date):
    return supervisors.prefetch_related(
        Prefetch(
            "terms",
            queryset=Term.objects.filter(Term.active_q(day)).order_by("-starts_on"),
            to_attr="running_terms",
        ),
        Prefetch(
            "memberships",
            queryset=GroupMembership.objects.filter(left_on__isnull=True).select_related("group"),
            to_attr="current_memberships",
        ),
    )


def roster(
    user: User,
    *,
    day: datetime.date,
    active: bool | None = None,
    ending_soon: bool = False,
    group: SupervisionGroup | None = None,
    q: str = "",
) -> QuerySet[Supervisor]:
    supervisors = supervisors_for(user)
    running = Term.objects.filter(Term.active_q(day), supervisor=OuterRef("pk"))
    if active is True:
        supervisors = supervisors.filter(Exists(running))
    elif active is False:
        supervisors = supervisors.exclude(Exists(running))
    if ending_soon:
        horizon = day + datetime.timedelta(days=rules().supervisor_term_warning_days)
        supervisors = supervisors.filter(
            Exists(terms_ending(day, horizon, supervisor=OuterRef("pk")))
        )
    if group is not None:
        supervisors = supervisors.filter(
            memberships__group=group, memberships__left_on__isnull=True
        )
    if q:
        supervisors = supervisors.filter(full_name__icontains=q)
    return with_current_term(supervisors.order_by("full_name").distinct(), day)


def terms_ending(day: datetime.date, horizon: datetime.date, **filters) -> QuerySet[Term]:
    """Running terms whose last day falls between ``day`` and ``horizon`` (both included)."""
    return Term.objects.filter(
        Term.active_q(day), terminated_on__isnull=True, last_day__lte=horizon, **filters
    )


def pipeline() -> QuerySet[Appointment]:
    return Appointment.objects.select_related("supervisor").order_by("stage", "-nominated_at")


def supervisor_history(supervisor: Supervisor, *, with_appointments: bool = True) -> list:
    from audit_portal.core.history_view import trail

    histories = [
        Supervisor.history.filter(id=supervisor.pk),
        Term.history.filter(supervisor_id=supervisor.pk),
        GroupMembership.history.filter(supervisor_id=supervisor.pk),
    ]
    if with_appointments:
        histories.insert(1, Appointment.history.filter(supervisor_id=supervisor.pk))
    return trail(histories)


def terms_ending_panel(user: User) -> dict | None:
    if not user.has_perm("supervisors.run_appointments"):
        return None
    today = _today()
    days = rules().supervisor_term_warning_days
    ending = terms_ending(today, today + datetime.timedelta(days=days)).select_related("supervisor")
    terms = list(ending.order_by("last_day")[:10])
    return {
        "days": days,
        "count": len(terms) if len(terms) < 10 else ending.count(),
        "terms": terms,
        "in_progress": Appointment.objects.filter(
            stage__in=[
                Appointment.Stage.NOMINATED,
                Appointment.Stage.VETTED,
                Appointment.Stage.DECIDED,
            ]
        ).count(),
    }


def my_supervision_panel(user: User) -> dict | None:
    """The supervisor's home: my term, my institutions, my activity.

    Inspections and issues are scoped through ``institutions_for(user)``: once a term or an
    assignment ends, the supervisor's past work is no longer shown here.
    """
    supervisor = own_supervisor(user)
    if supervisor is None:
        return {"supervisor": None}
    today = _today()
    term = supervisor.term_on(today)
    # The panel shows each inspection's institution, kind, dates and status: joining the lead,
    # the checklist and the agreement too (as the inspection pages need) tripled the planning of
    # each of these queries (~8 ms apiece at city scale).
    inspections = inspections_for(user).select_related(None).select_related("institution")
    return {
        "supervisor": supervisor,
        "term": term,
        "today": today,
        "days_left": term.days_left(today) if term else None,
        "needs_undertaking": term is not None and term.undertaking_accepted_at is None,
        "institutions": list(institutions_for(user).select_related("county")),
        "groups": list(supervisor.memberships.filter(left_on__isnull=True).select_related("group")),
        "complaints": list(supervisor.complaints.all()[:5]),
        "suggestions": list(supervisor.suggestions.all()[:5]),
        "events": list(supervisor.events.all()[:5]),
        "my_inspections": list(
            inspections.filter(team=user).exclude(status="final").order_by("planned_on")[:5]
        ),
        # Planned at my institutions without me: a supervisor may ask to take part.
        "upcoming_inspections": list(
            inspections.filter(status="planned", planned_on__gte=today)
            .exclude(team=user)
            .order_by("planned_on")[:5]
        ),
        "recent_inspections": list(
            inspections.filter(status="final").order_by("-performed_on", "-pk")[:5]
        ),
        "issues_raised": list(
            issues_for(user)
            .select_related(None)
            .select_related("institution")
            .filter(raised_by=user)
            .exclude(status="closed")
            .order_by("deadline")[:5]
        ),
    }
