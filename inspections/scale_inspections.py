"""City-scale data (``manage.py seed_scale``): inspections over the years as the services leave
them — routine and unannounced inspections, the winter campaign, supervisor visits at assigned
institutions, monthly visits by the placing stations, re-checks — each checklist inspection with
a result for every item and an issue for every non-conforming one; issues found outside a
checklist; a few inspections planned for the coming weeks.

Everything is generated in the order it happened (issue numbers follow the days they were raised)
and taken as far as it would be today: final, open for comments, or submitted.
"""

import datetime

from audit_portal.core.scale import at, day_between, weekday_on_or_after
from audit_portal.rules import rules
from inspections import scale_texts as texts
from inspections.models import Area, ChecklistTemplate, Inspection, Issue, ItemResult
from inspections.scale_issues import IssueFollower, Workdays

Kind, Status, Result = Inspection.Kind, Inspection.Status, ItemResult.Result
DAY = datetime.timedelta(days=1)
WINTER_MONTHS = (11, 12, 1, 2, 3)
# Per institution and year; the monthly visit is made in this share of the months due.
RATES = {Kind.ROUTINE: 2.5, Kind.UNANNOUNCED: 1.1, Kind.SUPERVISOR_VISIT: 1.6, "issue": 0.6}
VISIT_SHARE = 0.45
# The chance a checklist item does not conform at an average institution (critical items are
# kept better).
FAILURE = 0.3


def _count(rng, expected: float) -> int:
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def seed(world: dict) -> None:
    rng = world["random"]("inspections.inspections")
    today = world["today"]
    template = ChecklistTemplate.objects.get(code="custody-standard", status="active")
    items = list(template.items.values_list("pk", "area", "critical").order_by("position"))
    workdays = Workdays(world["start"] - datetime.timedelta(days=60), today + 400 * DAY)
    run = _Run(world, rng, template.pk, items, IssueFollower(world, rng, workdays), workdays)
    for day, _order, kind, inst, extra in sorted(_schedule(world, rng), key=lambda e: e[:2]):
        if kind == Kind.MONTHLY_VISIT:
            run.visit(day, inst, extra)
        elif kind == "issue":
            run.free_issue(day, inst)
        else:
            run.inspection(day, kind, inst, extra)


def _schedule(world: dict, rng) -> list[tuple]:
    """(day, tie-break, kind, institution, extra) of everything that will happen."""
    today, start = world["today"], world["start"]
    supervision = world.get("supervision", {})
    events = []

    def add(day, kind, inst, extra=None):
        events.append((day, len(events), kind, inst, extra))

    for inst in world["institutions"]:
        first, last = max(inst.registered, start), inst.last_day(today)
        years = max((last - first).days, 0) / 365.25
        for kind in (Kind.ROUTINE, Kind.UNANNOUNCED):
            for _ in range(_count(rng, RATES[kind] * years)):
                add(weekday_on_or_after(day_between(rng, first, last)), kind, inst)
        for _ in range(_count(rng, RATES["issue"] * years * inst.quality)):
            add(day_between(rng, first, last), "issue", inst)
        # The winter campaign (寒冬送温暖): most institutions, once each winter.
        for year in range(first.year - 1, last.year + 1):
            winter = (
                max(datetime.date(year, 12, 1), first),
                min(datetime.date(year + 1, 2, 28), last),
            )
            if winter[0] <= winter[1] and rng.random() < 0.85:
                add(weekday_on_or_after(day_between(rng, *winter)), Kind.CAMPAIGN, inst)
        for since, until, members in supervision.get(inst.pk, ()):
            since, until = max(since, first), min(until, last)
            expected = RATES[Kind.SUPERVISOR_VISIT] * max((until - since).days, 0) / 365.25
            for _ in range(_count(rng, expected)):
                day = weekday_on_or_after(day_between(rng, since, until))
                add(day, Kind.SUPERVISOR_VISIT, inst, members)
        for agreement in inst.agreements:
            month = agreement.starts.replace(day=1)
            while agreement.activated and month <= min(agreement.ends, last):
                following = (month + 32 * DAY).replace(day=1)
                low, high = max(month, agreement.starts), min(following - DAY, agreement.ends, last)
                if low <= high and rng.random() < VISIT_SHARE:
                    add(day_between(rng, low, high), Kind.MONTHLY_VISIT, inst, agreement)
                month = following
        if inst.terminated is None and rng.random() < 0.3:
            planned = weekday_on_or_after(today + datetime.timedelta(days=rng.randint(1, 30)))
            add(planned, Kind.ROUTINE, inst)
    return events


class _Run:
    def __init__(self, world, rng, template, items, follower, workdays):
        self.world, self.rng, self.template, self.items = world, rng, template, items
        self.follower, self.workdays = follower, workdays
        self.writer, self.today = world["writer"], world["today"]
        self.comment_days = rules().inspection_comment_days

    def _team(self, inspection: int, members) -> None:
        for user in dict.fromkeys(members):
            self.writer.add(Inspection.team.through, inspection_id=inspection, user_id=user)

    def _steps(self, day: datetime.date) -> dict:
        """How far an inspection performed on ``day`` has come by today."""
        rng, today = self.rng, self.today
        if day > today:
            return {"status": Status.PLANNED, "performed_on": None}
        if day == today:
            return {"status": Status.IN_PROGRESS, "performed_on": day}
        steps = {
            "performed_on": day,
            "submitted_at": at(day, rng.randint(16, 18), rng.randint(0, 59)),
        }
        told = day if rng.random() < 0.4 else self.workdays.add(day, 1)[0]
        if told > today:
            return {**steps, "status": Status.SUBMITTED}
        deadline = self.workdays.add(told, self.comment_days)[0]
        steps.update(status=Status.COMMENTING, comment_deadline=deadline, told=told)
        final_on = deadline + datetime.timedelta(days=rng.randint(1, 3))
        if rng.random() < 0.3:
            commented = told + datetime.timedelta(days=rng.randint(0, (deadline - told).days))
            if commented <= today:
                steps["commented"] = commented
                final_on = commented + datetime.timedelta(days=rng.randint(0, 2))
        if final_on <= today:
            steps.update(status=Status.FINAL, final_on=final_on)
        return steps

    def inspection(self, day: datetime.date, kind: str, inst, members) -> None:
        rng, writer = self.rng, self.writer
        staff = self.world["staff"][inst.county]
        if kind == Kind.SUPERVISOR_VISIT:
            lead, team, finaliser = rng.choice(members), list(members), rng.choice(staff)
            summary = rng.choice(texts.SUPERVISOR_SUMMARIES)
        else:
            city = self.world["staff"][self.world["city"]]
            pool = city if kind != Kind.ROUTINE and rng.random() < 0.3 else staff
            lead = finaliser = rng.choice(pool)
            team = [lead, *rng.sample(pool, min(len(pool), rng.randint(1, 2)))]
            summary = texts.INSPECTION_SUMMARIES[3 if kind == Kind.CAMPAIGN else rng.randint(0, 2)]
        steps = self._steps(day)
        status, commented = steps["status"], steps.get("commented")
        pk = writer.add(
            Inspection,
            institution_id=inst.pk,
            kind=kind,
            template_id=self.template,
            status=status,
            planned_on=day,
            performed_on=steps["performed_on"],
            lead_id=lead,
            summary="" if status == Status.PLANNED else summary,
            comment_deadline=steps.get("comment_deadline"),
            institution_comment=rng.choice(texts.INSTITUTION_COMMENTS).format(n=rng.randint(1, 9))
            if commented
            else "",
            institution_commented_at=at(commented, 10) if commented else None,
            institution_commented_by_id=inst.account if commented else None,
            submitted_at=steps.get("submitted_at"),
            finalised_at=at(steps["final_on"], 10) if "final_on" in steps else None,
            finalised_by_id=finaliser if "final_on" in steps else None,
            created_by_id=lead,
            created_at=at(min(day, self.today) - datetime.timedelta(days=rng.randint(3, 20)), 9),
        )
        self._team(pk, team)
        if status != Status.PLANNED:
            self._results(
                pk,
                day,
                kind,
                inst,
                lead,
                status,
                steps,
                staff if not members else [*members, *staff],
            )

    def _results(self, pk, day, kind, inst, lead, status, steps, verifiers) -> None:
        rng, writer = self.rng, self.writer
        winter = kind == Kind.CAMPAIGN or day.month in WINTER_MONTHS
        counted_from = steps.get("told", day)
        for item, area, critical in self.items:
            if status == Status.IN_PROGRESS and rng.random() < 0.4:
                writer.add(ItemResult, inspection_id=pk, item_id=item)
                continue
            result, note = Result.CONFORMS, ""
            if (area == Area.WINTER and not winter) or (
                area == Area.OFFSITE_CUSTODY and rng.random() < 0.2
            ):
                result = Result.NOT_APPLICABLE
            elif rng.random() < FAILURE * inst.quality * (0.6 if critical else 1.0):
                result, note = Result.NONCONFORMING, texts.finding(rng, area)
            row = writer.add(
                ItemResult,
                inspection_id=pk,
                item_id=item,
                result=result,
                note=note,
                recorded_by_id=lead,
                recorded_at=at(day, rng.randint(9, 15), rng.randint(0, 59)),
            )
            if result != Result.NONCONFORMING or status == Status.IN_PROGRESS:
                continue
            severity = Issue.Severity.SERIOUS if critical else Issue.Severity.GENERAL
            if rng.random() < 0.08:
                severity = Issue.Severity.MAJOR
            self.follower.raise_issue(
                inst,
                area=area,
                description=note,
                severity=severity,
                raised_on=day,
                counted_from=counted_from,
                raised_by=lead,
                verifiers=verifiers,
                inspection=pk,
                result=row,
            )

    def visit(self, day: datetime.date, inst, agreement) -> None:
        """The placing station's monthly visit: final at once, no checklist."""
        rng = self.rng
        lead = rng.choice(self.world["staff"][agreement.station])
        pk = self.writer.add(
            Inspection,
            institution_id=inst.pk,
            kind=Kind.MONTHLY_VISIT,
            agreement_id=agreement.pk,
            status=Status.FINAL,
            planned_on=day,
            performed_on=day,
            lead_id=lead,
            summary=rng.choice(texts.VISIT_SUMMARIES),
            residents_seen=rng.randint(1, max(1, agreement.places // 2)),
            finalised_at=at(day, 17),
            finalised_by_id=lead,
            created_by_id=lead,
            created_at=at(day, 17),
        )
        self._team(pk, [lead])

    def free_issue(self, day: datetime.date, inst) -> None:
        """An issue found outside a checklist (a complaint followed up, a visit)."""
        rng = self.rng
        staff = self.world["staff"][inst.county]
        area = rng.choice(Area.values)
        self.follower.raise_issue(
            inst,
            area=area,
            description=texts.finding(rng, area),
            severity=rng.choice((Issue.Severity.GENERAL, Issue.Severity.SERIOUS)),
            raised_on=day,
            counted_from=day,
            raised_by=rng.choice(staff),
            verifiers=staff,
        )
