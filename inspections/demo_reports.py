"""Demo monthly status reports: every month the demo agreements have been in force (up to a
year), filed through the services as the institutions would. 东湖区社会福利院 sent September late
and reports a death in October that no incident report shows (flagged, unexplained); the
psychiatric hospital amended its June report after acceptance; 西山县颐养院 had September
returned for correction and has not sent October (missing).

The services stamp "now"; afterwards the submission times are moved to the days they would
have been sent (the history rows keep the real time the demo was seeded)."""

import datetime

from django.utils import timezone

from inspections.dates import add_months
from inspections.demo import institution_account
from inspections.models import MonthlyReport
from inspections.models.reports import last_due_month
from inspections.services import reports as services

# Monthly movements per category, cycled: (admitted, discharged, hospital, died, missing).
MOVES = [(2, 1, 0, 0, 0), (1, 0, 1, 0, 0), (3, 2, 0, 0, 0), (0, 1, 0, 0, 0), (2, 1, 1, 0, 0)]


def _lines(starts: dict[str, int], index: int, *, died: str = "") -> tuple[dict, dict]:
    lines, ends = {}, {}
    for offset, (category, start) in enumerate(starts.items()):
        admitted, discharged, hospital, deaths, missing = MOVES[(index + offset) % len(MOVES)]
        if start == 0:
            admitted += 10  # the first placements
        if died == category:
            deaths = 1
        end = max(start + admitted - discharged - hospital - deaths - missing, 0)
        long_stay = min(end, max(start - 4, 0))
        lines[category] = {
            "start": start,
            "admitted": admitted,
            "discharged": discharged,
            "hospital": hospital,
            "died": deaths,
            "missing": missing,
            "end": end,
            "long_stay": long_stay,
        }
        ends[category] = end
    return lines, ends


def _sent(report: MonthlyReport, day: datetime.date) -> None:
    when = datetime.datetime.combine(day, datetime.time(16, 30), timezone.get_current_timezone())
    MonthlyReport.objects.filter(pk=report.pk).update(
        first_submitted_at=when,
        submitted_at=when,
        days_late=max((day - report.due_on).days, 0),
        created_at=when - datetime.timedelta(hours=2),
    )


def seed(world: dict) -> None:
    institutions = world.get("institutions") or []
    if len(institutions) < 3 or MonthlyReport.objects.exists():
        return
    today = timezone.localdate()
    welfare, psychiatric, yiyang = institutions[:3]
    station_user = world["user_station"]
    plans = [
        # institution, reporter, categories, the month sent late, the month with an
        # unexplained death, the month amended, the month returned, the month left unsent
        (welfare, world["user_institution"], ("elderly", "disabled"), 9, 10, None, None, None),
        (
            psychiatric,
            institution_account(psychiatric, "kangning", "周雨"),
            ("mental_illness",),
            None,
            None,
            6,
            None,
            None,
        ),
        (
            yiyang,
            institution_account(yiyang, "yiyang", "冯春梅"),
            ("elderly",),
            None,
            None,
            None,
            9,
            10,
        ),
    ]
    newest = last_due_month(today)
    for institution, reporter, categories, late, death, amended, returned, unsent in plans:
        agreement = institution.agreements.order_by("starts_on").first()
        if agreement is None:
            continue
        first = max(agreement.starts_on.replace(day=1), add_months(newest, -11))
        starts = dict.fromkeys(categories, 0)
        month, index = first, 0
        while month <= newest:
            if month.month == unsent and month.year == newest.year:
                break
            lines, ends = _lines(starts, index, died=categories[0] if month.month == death else "")
            report = services.report_save_draft(
                institution=institution,
                month=month,
                actor=reporter,
                lines=lines,
                staff_on_duty=6 + index % 3,
                notes="",
            )
            report = services.report_submit(report=report, actor=reporter)
            sent_on = report.due_on + datetime.timedelta(days=6 if month.month == late else -1)
            _sent(report, sent_on)
            if month != newest and month.month != returned:
                report = services.report_review(report=report, actor=station_user, accept=True)
            if month.month == returned:
                services.report_review(
                    report=report,
                    actor=station_user,
                    accept=False,
                    reason="老年人新入院人数与送托交接单不一致，请核对后重新报送",
                )
            if month.month == amended:
                lines[categories[0]]["discharged"] += 1
                lines[categories[0]]["end"] -= 1
                ends[categories[0]] -= 1
                services.report_amend(
                    report=report,
                    actor=reporter,
                    reason="漏报一名6月28日返乡人员",
                    lines=lines,
                    staff_on_duty=report.staff_on_duty,
                )
                services.report_review(report=report, actor=station_user, accept=True)
            starts = ends
            month, index = add_months(month, 1), index + 1
