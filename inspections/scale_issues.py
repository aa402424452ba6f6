"""City-scale data (``manage.py seed_scale``): each generated issue followed to where it stands
today, as the services would have left it — numbered in the order raised, its deadline counted in
working days, sometimes extended, rectified (now and then after a rejected attempt) and closed on
time or late, closed on site at a re-check, or still open: awaiting verification, or overdue.
"""

import bisect
import datetime

from audit_portal.core.scale import at
from audit_portal.rules import rules
from inspections import scale_texts as texts
from inspections.models import DeadlineExtension, Inspection, Issue, Rectification
from inspections.workdays import WorkCalendar

DAY = datetime.timedelta(days=1)


class Workdays:
    """``add_working_days`` for every deadline of the span, reading the work calendar once."""

    def __init__(self, first: datetime.date, last: datetime.date):
        calendar = WorkCalendar(first, last)
        self.days = []
        day = first
        while day <= last:
            if calendar.is_workday(day):
                self.days.append(day)
            day += DAY
        self.unofficial = calendar.unofficial_years

    def add(self, start: datetime.date, days: int) -> tuple[datetime.date, bool]:
        """The last of ``days`` working days after ``start``, and whether it was counted with
        the official holiday arrangement of every year it crossed."""
        if days == 0:
            return start, True
        day = self.days[bisect.bisect_right(self.days, start) + days - 1]
        official = not any(year in self.unofficial for year in range(start.year, day.year + 1))
        return day, official


def rectification_days(severity: str) -> int:
    r = rules()
    return {
        Issue.Severity.GENERAL: r.rectification_days_general,
        Issue.Severity.SERIOUS: r.rectification_days_serious,
        Issue.Severity.MAJOR: r.rectification_days_major,
    }[severity]


class IssueFollower:
    """Writes issues and everything that happened to them up to ``world["today"]``."""

    def __init__(self, world: dict, rng, workdays: Workdays):
        self.world, self.rng, self.workdays = world, rng, workdays
        self.writer, self.today = world["writer"], world["today"]
        self.sequence: dict[int, int] = {}
        self.rechecks: dict[tuple, tuple[int, datetime.date, int]] = {}

    def raise_issue(
        self,
        inst,
        *,
        area: str,
        description: str,
        severity: str,
        raised_on: datetime.date,
        counted_from: datetime.date,
        raised_by: int,
        verifiers: list[int],
        inspection: int | None = None,
        result: int | None = None,
    ) -> int:
        """One issue, raised on ``raised_on`` with its deadline counted from ``counted_from``
        (the day the institution was told), and its story up to today."""
        pk = self.writer.reserve(Issue)
        days = rectification_days(severity)
        original, official = self.workdays.add(counted_from, days)
        deadline, waiting = self._extension(inst, pk, raised_on, original)
        closes_on = None if waiting else self._closing_day(inst, raised_on, deadline)
        if closes_on is not None and closes_on <= self.today:
            state = self._close(inst, pk, raised_on, closes_on, verifiers)
        else:
            state = {"status": self._still_open(inst, pk, raised_on)}
        serial = self.sequence[raised_on.year] = self.sequence.get(raised_on.year, 0) + 1
        return self.writer.add(
            Issue,
            id=pk,
            institution_id=inst.pk,
            inspection_id=inspection,
            result_id=result,
            number=f"ZG{raised_on:%Y}-{serial:05d}",
            area=area,
            description=description,
            severity=severity,
            responsible_person=inst.contact,
            raised_on=raised_on,
            raised_by_id=raised_by,
            rectification_days=days,
            original_deadline=original,
            deadline=deadline,
            deadline_official=official,
            **state,
        )

    def staff(self, inst) -> list[int]:
        return self.world["staff"][inst.county]

    def _closing_day(self, inst, raised_on, deadline) -> datetime.date | None:
        """Most issues are fixed, four in five on time; a few drag on with nothing done."""
        rng = self.rng
        if rng.random() < 0.03 * inst.quality:
            return None
        if rng.random() < 0.82:
            span = max((deadline - raised_on).days, 1)
            return raised_on + datetime.timedelta(days=max(1, round(span * rng.uniform(0.3, 1))))
        return deadline + datetime.timedelta(days=rng.randint(1, 45))

    def _rectification(self, inst, issue, sent: datetime.date, decision: str, **fields) -> None:
        rng = self.rng
        self.writer.add(
            Rectification,
            issue_id=issue,
            plan=rng.choice(texts.PLANS),
            submitted_by_id=inst.account,
            submitted_at=at(sent, rng.randint(8, 11), rng.randint(0, 59)),
            decision=decision,
            **fields,
        )

    def _rejected(self, inst, issue, first, last, verifier: int) -> datetime.date:
        """An attempt sent on a day in [first, last - 1] and rejected the day after; returns
        the first day a new attempt may be sent."""
        sent = first + datetime.timedelta(days=self.rng.randint(0, (last - first).days - 1))
        self._rectification(
            inst,
            issue,
            sent,
            Rectification.Decision.REJECTED,
            decided_by_id=verifier,
            decided_at=at(sent + DAY, 11),
            decision_reason=self.rng.choice(texts.REJECTIONS),
        )
        return sent + 2 * DAY

    def _close(self, inst, issue, raised_on, closes_on, verifiers) -> dict:
        rng = self.rng
        verifier, recheck = rng.choice(verifiers), None
        if rng.random() < 0.1:
            found = self._recheck(inst, closes_on)
            if found[1] > raised_on:
                recheck, closes_on, verifier = found
        first = raised_on + DAY
        if (closes_on - raised_on).days > 4 and rng.random() < 0.12:
            first = self._rejected(inst, issue, first, closes_on - DAY, verifier)
        if recheck is None or rng.random() < 0.5:
            earliest = max(first, closes_on - datetime.timedelta(days=5))
            sent = earliest + datetime.timedelta(days=rng.randint(0, (closes_on - earliest).days))
            self._rectification(
                inst,
                issue,
                sent,
                Rectification.Decision.ACCEPTED,
                decided_by_id=verifier,
                decided_at=at(closes_on, 15, rng.randint(0, 59)),
                decision_reason=rng.choice(texts.RECHECK_NOTES) if recheck else "",
            )
        return {
            "status": Issue.Status.CLOSED,
            "closed_on": closes_on,
            "closed_by_id": verifier,
            "closed_in_id": recheck,
        }

    def _still_open(self, inst, issue, raised_on) -> str:
        """Open, or awaiting verification of the institution's rectification."""
        rng, today = self.rng, self.today
        if (today - raised_on).days < 2 or rng.random() > 0.35:
            return Issue.Status.OPEN
        first = raised_on + DAY
        if (today - raised_on).days > 6 and rng.random() < 0.15:
            first = self._rejected(inst, issue, first, today - DAY, rng.choice(self.staff(inst)))
        sent = first + datetime.timedelta(days=rng.randint(0, (today - first).days))
        self._rectification(inst, issue, sent, Rectification.Decision.PENDING)
        return Issue.Status.SUBMITTED

    def _extension(self, inst, issue, raised_on, deadline) -> tuple[datetime.date, bool]:
        """Now and then the institution asks for more time: approved (the deadline moves, the
        original stays on record), refused, or still awaiting a decision (the issue stays
        open). Returns the deadline in force and whether a request waits."""
        rng, today = self.rng, self.today
        asked = raised_on + (deadline - raised_on) * 7 // 10
        if rng.random() > 0.06 or asked <= raised_on or asked > today:
            return deadline, False
        wanted = deadline + datetime.timedelta(days=rng.randint(7, 30))
        decided = asked + datetime.timedelta(days=rng.randint(1, 3))
        draw = rng.random()
        Decision = DeadlineExtension.Decision
        if draw < 0.1 or decided > today:
            decision = Decision.PENDING
        else:
            decision = Decision.APPROVED if draw < 0.8 else Decision.REFUSED
        pending = decision == Decision.PENDING
        reason = {Decision.PENDING: "", Decision.APPROVED: "同意延期"}.get(decision)
        self.writer.add(
            DeadlineExtension,
            issue_id=issue,
            requested_deadline=wanted,
            deadline_before=deadline,
            reason=rng.choice(texts.EXTENSION_REASONS),
            requested_by_id=inst.account,
            requested_at=at(asked, 10),
            decision=decision,
            decided_by_id=None if pending else rng.choice(self.staff(inst)),
            decided_at=None if pending else at(decided, 16),
            decision_reason=rng.choice(texts.EXTENSION_REFUSALS) if reason is None else reason,
        )
        return (wanted if decision == Decision.APPROVED else deadline), pending

    def _recheck(self, inst, day: datetime.date) -> tuple[int, datetime.date, int]:
        """The re-check at the institution that month: one inspection closes several issues
        on site (those raised before it)."""
        key = (inst.pk, day.year, day.month)
        if key not in self.rechecks:
            lead = self.rng.choice(self.staff(inst))
            final = day < self.today - datetime.timedelta(days=3)
            pk = self.writer.add(
                Inspection,
                institution_id=inst.pk,
                kind=Inspection.Kind.RECHECK,
                status=Inspection.Status.FINAL if final else Inspection.Status.IN_PROGRESS,
                planned_on=day,
                performed_on=day,
                lead_id=lead,
                summary=self.rng.choice(texts.RECHECK_NOTES),
                submitted_at=at(day, 17) if final else None,
                finalised_at=at(day + DAY, 10) if final else None,
                finalised_by_id=lead if final else None,
                created_by_id=lead,
                created_at=at(day - datetime.timedelta(days=3), 9),
            )
            self.writer.add(Inspection.team.through, inspection_id=pk, user_id=lead)
            self.rechecks[key] = (pk, day, lead)
        return self.rechecks[key]
