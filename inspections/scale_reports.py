"""City-scale data (``manage.py seed_scale``), monthly status reports: one for every month an
institution had an agreement in force, with a line per resident category whose figures carry on
from month to month; deaths and missing residents as the incident records give them (a few
reports disagree, some of those explained); most sent on time and accepted, some late, a few
missing, returned or amended; this month's drafts.
"""

import datetime

from audit_portal.core.scale import at
from inspections.dates import add_months
from inspections.models import MonthlyReport, MonthlyReportLine, ResidentCategory
from inspections.models.reports import due_date

Status = MonthlyReport.Status
DAY = datetime.timedelta(days=1)


def seed(world: dict) -> None:
    rng = world["random"]("inspections.reports")
    today = world["today"]
    incidents = world.get("incident_months", {})
    this_month = today.replace(day=1)
    for inst in world["institutions"]:
        if not inst.agreements:
            continue
        month = max(inst.agreements[0].starts, world["start"], inst.registered).replace(day=1)
        residents: dict[str, int] = {}
        while month <= this_month and month <= inst.last_day(today):
            following = add_months(month, 1)
            agreement = next(
                (
                    a
                    for a in inst.agreements
                    if a.activated and a.starts < following and a.ends >= month
                ),
                None,
            )
            if agreement is not None:
                if not residents:
                    residents = {
                        c: rng.randint(2, max(2, agreement.places // len(agreement.categories)))
                        for c in agreement.categories
                    }
                recorded = incidents.get((inst.pk, month), {"deaths": 0, "missing": 0})
                residents = _report(world, rng, inst, agreement, month, residents, recorded)
            month = following


def _sending(rng, today: datetime.date, month: datetime.date, due: datetime.date):
    """The day the report was first sent, or None (not sent: missing, or this month's draft)."""
    if due >= today:
        return None
    missing_share = 0.06 if add_months(month, 3) > today else 0.025
    if rng.random() < missing_share:
        return None
    if rng.random() < 0.92:
        return due - datetime.timedelta(days=rng.randint(0, 5))
    sent = due + datetime.timedelta(days=rng.randint(1, 20))
    return sent if sent <= today else None


def _report(world, rng, inst, agreement, month, residents, recorded) -> dict[str, int]:
    writer, today = world["writer"], world["today"]
    due = due_date(month)
    sent = _sending(rng, today, month, due)
    ends = _figures(rng, agreement, residents, recorded)
    if sent is None and (due < today or rng.random() < 0.5):
        return {c: line["end"] for c, line in ends.items() if c in residents}
    reviewer = world["staff"][agreement.station][0]
    fields = {"status": Status.DRAFT}
    if sent is not None:
        when = at(sent, 16, 30)
        fields = {
            "status": Status.ACCEPTED,
            "first_submitted_at": when,
            "submitted_at": when,
            "submitted_by_id": inst.account,
            "days_late": max((sent - due).days, 0),
        }
        draw = rng.random()
        if (today - sent).days < 10 and draw < 0.7:
            fields["status"] = Status.SUBMITTED
        elif draw < 0.015:
            fields.update(
                status=Status.RETURNED,
                return_reason="新入院人数与送托交接单不一致，请核对后重新报送",
            )
        elif draw < 0.03:
            fields["status"] = Status.SUBMITTED
        elif draw < 0.04:
            fields.update(amendment_count=1, amendment_reason="漏报一名返乡人员")
        if fields["status"] in (Status.ACCEPTED, Status.RETURNED):
            fields.update(reviewed_by_id=reviewer, reviewed_at=at(min(sent + 2 * DAY, today), 10))
    disagrees = any(
        ends[c]["died"] != recorded["deaths"] or ends[c]["missing"] != recorded["missing"]
        for c in list(ends)[:1]
    )
    pk = writer.add(
        MonthlyReport,
        institution_id=inst.pk,
        month=month,
        due_on=due,
        staff_on_duty=max(3, inst.beds // 6 + rng.randint(-2, 2)),
        explanation="事件记录在次月补报" if disagrees and rng.random() < 0.5 else "",
        created_by_id=inst.account,
        created_at=at(min(sent or today, today) - DAY, 14),
        **fields,
    )
    for category, line in ends.items():
        writer.add(MonthlyReportLine, report_id=pk, category=category, **line)
    return {c: line["end"] for c, line in ends.items() if c in residents}


def _figures(rng, agreement, residents, recorded) -> dict[str, dict]:
    """A line per category: the residents carried on from last month and this month's moves;
    the first category counts the deaths and missing residents of the incident records (now and
    then not: the report is flagged)."""
    lines = {}
    first = agreement.categories[0]
    for category in ResidentCategory.values:
        start = residents.get(category, 0)
        if category not in agreement.categories:
            lines[category] = dict.fromkeys(
                (
                    "start",
                    "admitted",
                    "discharged",
                    "hospital",
                    "died",
                    "missing",
                    "end",
                    "long_stay",
                ),
                0,
            ) | {"start": start, "end": start}
            continue
        room = agreement.places // len(agreement.categories) - start
        admitted = rng.randint(0, 3 if room > 2 else 1)
        died = recorded["deaths"] if category == first else 0
        missing = recorded["missing"] if category == first else 0
        if category == first and rng.random() < 0.02:
            died += 1  # a death the incident records do not show
        hospital = 1 if rng.random() < 0.1 else 0
        discharged = rng.randint(0, 2)
        out = discharged + hospital + died + missing
        if out > start + admitted:
            discharged = max(0, discharged - (out - start - admitted))
            hospital = 0
            out = discharged + died + missing
            if out > start + admitted:
                admitted += out - start - admitted
        end = start + admitted - out
        lines[category] = {
            "start": start,
            "admitted": admitted,
            "discharged": discharged,
            "hospital": hospital,
            "died": died,
            "missing": missing,
            "end": end,
            "long_stay": min(end, end * rng.randint(1, 4) // 10),
        }
    return lines
