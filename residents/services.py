"""Writing resident records: admission (against the agreement's places, under a row lock), the
identity search and its clocks, settlement of long stays, discharge, the return home with its
feedback and follow-up visits, and the logged display of a full ID number.

Every write is one transaction that checks the policy (``residents/policies.py``) and leaves a
history row saying who and why. Due moments are computed here, once, from the rules, and stored.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from audit_portal.rules import rules
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent
from inspections.dates import add_months
from inspections.models import CustodyAgreement
from inspections.policies.registry import placeable_refusal
from residents.models import (
    FollowUpVisit,
    IdentityStep,
    Resident,
    ResidentIdView,
    ResidentReadRequest,
    ReturnHome,
    Settlement,
    long_stay_day,
)
from residents.policies import resident_policy
from residents.selectors import in_care_count

RESIDENT_FIELDS = (
    "name",
    "name_is_provisional",
    "sex",
    "birth_year",
    "category",
    "identity_status",
    "id_number",
    "health_notes",
)
IDENTITY_FIELDS = ("name", "name_is_provisional", "birth_year", "identity_status", "id_number")


def add_months_at(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same local time on the same day ``months`` later (the last day of a shorter month)."""
    local = timezone.localtime(moment)
    day = add_months(local.date(), months)
    return datetime.datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=local.tzinfo)


def notice_due(admitted_at: datetime.datetime) -> datetime.datetime:
    """寻亲公告 within 24 hours of admission (seed 004)."""
    return admitted_at + datetime.timedelta(hours=rules().resident_notice_hours)


def police_answer_due(requested_at: datetime.datetime) -> datetime.datetime:
    """The police answer a verification request within 1 month (seed 001)."""
    return add_months_at(requested_at, rules().police_answer_months)


def follow_up_days(resident: Resident, returned_on: datetime.date) -> tuple[int, ...]:
    """The days after a return on which follow-up visits are due: for every minor (seed 003),
    for others only where the area's rule says so."""
    if resident.is_minor_on(returned_on) or rules().follow_up_all_returned:
        return tuple(rules().follow_up_days_after_return)
    return ()


def _not_future(value, field: str) -> None:
    now = timezone.now()
    if isinstance(value, datetime.datetime) and value > now:
        raise ValidationError({field: _("This time is in the future.")})
    if type(value) is datetime.date and value > timezone.localdate(now):
        raise ValidationError({field: _("This date is in the future.")})


def _locked(resident: Resident) -> Resident:
    # Only the resident's row: the return home (read with it) may not exist, and an outer join's
    # nullable side cannot be locked (PostgreSQL).
    return (
        Resident.objects.select_for_update(of=("self",))
        .select_related("return_home")
        .get(pk=resident.pk)
    )


# Admission -------------------------------------------------------------------------------------


def _check_agreement(agreement: CustodyAgreement, category: str, on: datetime.date) -> None:
    if agreement.status != CustodyAgreement.Status.ACTIVE or not agreement.covers(on):
        raise ValidationError(
            {"agreement": _("The agreement is not in force on the day of admission.")}
        )
    if category not in (agreement.categories or []):
        raise ValidationError(
            {"category": _("The agreement does not accept residents of this category.")}
        )
    # DOMAIN §1: an institution receives residents only while it meets every condition.
    if refusal := placeable_refusal(agreement.institution, on, _("Admission")):
        raise ValidationError(refusal.message, code="institution_not_eligible")
    taken = in_care_count(agreement.pk)
    if taken >= agreement.agreed_places:
        raise ValidationError(
            _("All %(places)d agreed places of this agreement are taken.")
            % {"places": agreement.agreed_places}
        )


@transaction.atomic
def resident_admit(
    *,
    agreement: CustodyAgreement,
    admitted_at: datetime.datetime,
    actor: User,
    reason: str = "",
    **fields,
) -> Resident:
    """Place a resident under ``agreement``. The agreement's row is locked first, so two
    admissions at once cannot both take its last place; the family-search notice's clock starts
    at the admission."""
    resident_policy.require_admit_under(actor, agreement)
    stray = set(fields) - set(RESIDENT_FIELDS)
    if stray:
        raise ValueError(f"unknown fields: {sorted(stray)}")
    _not_future(admitted_at, "admitted_at")
    agreement = CustodyAgreement.objects.select_for_update().get(pk=agreement.pk)
    _check_agreement(agreement, fields.get("category", ""), timezone.localdate(admitted_at))
    resident = Resident(
        **fields,
        agreement=agreement,
        station_id=agreement.station_id,
        institution_id=agreement.institution_id,
        admitted_at=admitted_at,
        long_stay_on=long_stay_day(timezone.localdate(admitted_at)),
        created_by=actor,
    )
    save_audited(resident, actor=actor, reason=reason)
    notice = IdentityStep(
        resident=resident,
        kind=IdentityStep.Kind.NOTICE,
        due_at=notice_due(admitted_at),
        recorded_by=actor,
    )
    save_audited(notice, actor=actor, reason=reason)
    return resident


@transaction.atomic
def resident_identify(*, resident: Resident, actor: User, reason: str, **fields) -> Resident:
    """The station corrects what is known of who the resident is."""
    resident_policy.require("identify", actor, resident)
    resident = _locked(resident)
    for name, value in fields.items():
        if name not in IDENTITY_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(resident, name, value)
    return save_audited(resident, actor=actor, reason=reason)


@transaction.atomic
def resident_record_care(
    *, resident: Resident, health_notes: str, actor: User, reason: str
) -> Resident:
    """The institution's health notes."""
    resident_policy.require("care", actor, resident)
    resident = _locked(resident)
    resident.health_notes = health_notes
    return save_audited(resident, actor=actor, reason=reason)


def resident_refresh_long_stay(*, actor: User | None = None) -> int:
    """After the area changes its long-stay rule: the stored day of every resident in care
    again (the rule of the day applies to the stays still running). Returns how many changed."""
    changed = 0
    for resident in Resident.objects.filter(discharged_at__isnull=True).iterator():
        day = long_stay_day(timezone.localdate(resident.admitted_at))
        if day != resident.long_stay_on:
            resident.long_stay_on = day
            save_audited(resident, actor=actor, reason=_("The long-stay rule changed"))
            changed += 1
    return changed


# Discharge -------------------------------------------------------------------------------------


def _discharge(resident: Resident, kind: str, at: datetime.datetime, note: str) -> None:
    _not_future(at, "discharged_at")
    if at < resident.admitted_at:
        raise ValidationError({"discharged_at": _("The discharge comes before the admission.")})
    resident.discharged_at = at
    resident.discharge_kind = Resident.Discharge(kind)
    resident.discharge_note = note


@transaction.atomic
def resident_discharge(
    *,
    resident: Resident,
    kind: str,
    discharged_at: datetime.datetime,
    actor: User,
    reason: str,
    note: str = "",
) -> Resident:
    """The institution records how and when the resident left (a return home is then entered
    in the ledger by the station)."""
    resident_policy.require("discharge", actor, resident)
    resident = _locked(resident)
    _discharge(resident, kind, discharged_at, note)
    return save_audited(resident, actor=actor, reason=reason)


# The identity search ---------------------------------------------------------------------------


@transaction.atomic
def identity_step_record(
    *,
    resident: Resident,
    kind: str,
    started_at: datetime.datetime,
    actor: User,
    reference: str = "",
    note: str = "",
) -> IdentityStep:
    """A step begun: a police verification request (its answer due a month later), DNA or
    fingerprints collected, a face-recognition search started. The family-search notice exists
    from the admission: its publication is recorded with ``identity_step_complete``."""
    resident_policy.require("search", actor, resident)
    kind = IdentityStep.Kind(kind)
    if kind == IdentityStep.Kind.NOTICE:
        raise ValidationError(
            {"kind": _("The family-search notice is on record from the admission.")}
        )
    _not_future(started_at, "started_at")
    step = IdentityStep(
        resident=resident,
        kind=kind,
        started_at=started_at,
        due_at=police_answer_due(started_at) if kind == IdentityStep.Kind.POLICE else None,
        reference=reference,
        note=note,
        recorded_by=actor,
    )
    return save_audited(step, actor=actor)


@transaction.atomic
def identity_step_complete(
    *,
    step: IdentityStep,
    done_at: datetime.datetime,
    outcome: str,
    actor: User,
    reference: str = "",
    note: str = "",
) -> IdentityStep:
    """The notice published, the police answer received, a result come back."""
    resident_policy.require("search", actor, step.resident)
    step = IdentityStep.objects.select_for_update().get(pk=step.pk)
    if step.done_at is not None:
        raise ValidationError(_("This step is already recorded as done."))
    _not_future(done_at, "done_at")
    if step.started_at is not None and done_at < step.started_at:
        raise ValidationError({"done_at": _("This comes before the step was begun.")})
    if step.started_at is None:
        step.started_at = done_at
    step.done_at = done_at
    step.outcome = IdentityStep.Outcome(outcome)
    step.reference = reference or step.reference
    if note:
        step.note = f"{step.note}\n{note}".strip()
    reason = _("%(step)s: %(outcome)s") % {
        "step": step.get_kind_display(),
        "outcome": step.get_outcome_display(),
    }
    return save_audited(step, actor=actor, reason=reason)


# Settlement of long stays ---------------------------------------------------------------------


@transaction.atomic
def settlement_file(
    *,
    resident: Resident,
    kind: str,
    filed_on: datetime.date,
    actor: User,
    reference: str = "",
    note: str = "",
) -> Settlement:
    resident_policy.require("settle", actor, resident)
    _not_future(filed_on, "filed_on")
    settlement = Settlement(
        resident=resident,
        kind=Settlement.Kind(kind),
        filed_on=filed_on,
        reference=reference,
        note=note,
        recorded_by=actor,
    )
    return save_audited(settlement, actor=actor)


@transaction.atomic
def settlement_decide(
    *, settlement: Settlement, outcome: str, outcome_on: datetime.date, actor: User, note: str = ""
) -> Settlement:
    """What came of it: the household registered, or a place in long-term care (a settled
    resident is then discharged by the institution, as settled)."""
    resident_policy.require("identify", actor, settlement.resident)
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.outcome:
        raise ValidationError(_("The outcome is already recorded."))
    _not_future(outcome_on, "outcome_on")
    if outcome_on < settlement.filed_on:
        raise ValidationError({"outcome_on": _("The outcome comes before the filing.")})
    settlement.outcome = Settlement.Outcome(outcome)
    settlement.outcome_on = outcome_on
    if note:
        settlement.note = f"{settlement.note}\n{note}".strip()
    reason = _("Outcome: %(outcome)s") % {"outcome": settlement.get_outcome_display()}
    return save_audited(settlement, actor=actor, reason=reason)


# Going home ------------------------------------------------------------------------------------


@transaction.atomic
def resident_return_home(
    *,
    resident: Resident,
    returned_at: datetime.datetime,
    home_area: str,
    home_station: str,
    actor: User,
    received_by: str = "",
    note: str = "",
) -> ReturnHome:
    """The ledger line of a return home (返乡人员信息台账). A resident still in care is
    discharged as returned home; follow-up visits are scheduled as the rules require."""
    # Checked on the locked row: two clerks recording the same return cannot both pass.
    resident = _locked(resident)
    resident_policy.require("return_home", actor, resident)
    if resident.in_care:
        _discharge(resident, Resident.Discharge.RETURNED_HOME, returned_at, note)
        save_audited(resident, actor=actor, reason=_("Returned home"))
    returned_on = timezone.localdate(resident.discharged_at)
    days = follow_up_days(resident, returned_on)
    entry = ReturnHome(
        resident=resident,
        returned_on=returned_on,
        home_area=home_area,
        home_station=home_station,
        received_by=received_by,
        follow_up_required=bool(days),
        note=note,
        recorded_by=actor,
    )
    save_audited(entry, actor=actor)
    for offset in days:
        visit = FollowUpVisit(
            return_home=entry,
            due_on=returned_on + datetime.timedelta(days=offset),
            recorded_by=actor,
        )
        save_audited(visit, actor=actor)
    return entry


@transaction.atomic
def return_feedback_record(
    *, entry: ReturnHome, sent_on: datetime.date, actor: User, reference: str = ""
) -> ReturnHome:
    """The written feedback sent to the home area's station."""
    resident_policy.require("follow_up", actor, entry.resident)
    entry = ReturnHome.objects.select_for_update().get(pk=entry.pk)
    _not_future(sent_on, "feedback_sent_on")
    if sent_on < entry.returned_on:
        raise ValidationError({"feedback_sent_on": _("This comes before the return.")})
    entry.feedback_sent_on = sent_on
    entry.feedback_reference = reference
    return save_audited(entry, actor=actor, reason=_("Written feedback sent"))


@transaction.atomic
def follow_up_schedule(*, entry: ReturnHome, due_on: datetime.date, actor: User) -> FollowUpVisit:
    """One more visit, beyond what the rules require."""
    resident_policy.require("follow_up", actor, entry.resident)
    if due_on < entry.returned_on:
        raise ValidationError({"due_on": _("A follow-up comes after the return.")})
    if entry.follow_ups.filter(due_on=due_on).exists():
        raise ValidationError({"due_on": _("A visit is already due that day.")})
    visit = FollowUpVisit(return_home=entry, due_on=due_on, recorded_by=actor)
    return save_audited(visit, actor=actor)


@transaction.atomic
def follow_up_record(
    *, visit: FollowUpVisit, done_on: datetime.date, visited_by: str, actor: User, note: str = ""
) -> FollowUpVisit:
    resident_policy.require("follow_up", actor, visit.return_home.resident)
    visit = FollowUpVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.done_on is not None:
        raise ValidationError(_("This visit is already recorded."))
    _not_future(done_on, "done_on")
    if done_on < visit.return_home.returned_on:
        raise ValidationError({"done_on": _("This comes before the return.")})
    visit.done_on = done_on
    visit.visited_by = visited_by
    visit.note = note
    return save_audited(visit, actor=actor, reason=_("Follow-up visit recorded."))


# The full ID number ---------------------------------------------------------------------------


@transaction.atomic
def resident_reveal_id_number(*, resident: Resident, actor: User) -> str:
    """The full number, for a reader in scope with the right; every display is logged here and
    in the security log (with the viewer's address)."""
    resident_policy.require("reveal_id_number", actor, resident)
    record(SecurityEvent.Kind.FULL_ID_VIEW, user=actor, target=f"resident {resident.pk}")
    ResidentIdView.objects.create(resident=resident, viewer=actor)
    return resident.id_number


# A supervisor's logged read -------------------------------------------------------------------


@transaction.atomic
def resident_read_by_supervisor(
    *, institution_id: int, name: str, reason: str, actor: User
) -> list[Resident]:
    """Where the area allows it: the residents in care of that name at an institution the
    supervisor supervises today, each read logged with the reason (and in the security log).
    Nothing is found, or logged, outside that."""
    from residents.selectors import readable_by_supervisor

    if not reason.strip():
        raise ValidationError({"reason": _("Say why you need to read the record.")})
    found = list(
        readable_by_supervisor(actor).filter(
            institution_id=institution_id, name=name.strip(), discharged_at__isnull=True
        )
    )
    for resident in found:
        ResidentReadRequest.objects.create(resident=resident, reader=actor, reason=reason.strip())
        record(
            SecurityEvent.Kind.PERSONAL_DATA_EXPORT,
            user=actor,
            target=f"resident {resident.pk}",
            detail="supervisor read of a resident record",
        )
    return found
