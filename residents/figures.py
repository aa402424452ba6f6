"""The monthly report's figures as the resident records give them (``inspections.hooks.
resident_figures``): the report is pre-filled from them and a reported figure that differs is
flagged, as deaths and missing residents that differ from the incident records are.

Read in one query however many institutions and months (the report list checks a page of
reports at once): the residents whose stay overlaps the months, counted here.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q

from inspections.dates import add_months
from inspections.models import ResidentCategory
from residents.models import Resident
from residents.selectors import month_bounds

# The report's figures the records give. The report's "discharged" column is the discharges
# other than deaths and disappearances, which have columns of their own; hospital stays are no
# discharge and are not on record.
RECORDED_FIGURES = ("start", "admitted", "discharged", "died", "missing", "end", "long_stay")
_OWN_COLUMN = {Resident.Discharge.DIED: "died", Resident.Discharge.MISSING: "missing"}


def _in_care_at(row: dict, moment: datetime.datetime) -> bool:
    return row["admitted_at"] < moment and (
        row["discharged_at"] is None or row["discharged_at"] >= moment
    )


def _count(rows: list[dict], month: datetime.date) -> dict[str, dict[str, int]]:
    start, end = month_bounds(month)
    last_day = add_months(month, 1) - datetime.timedelta(days=1)
    figures = {category: dict.fromkeys(RECORDED_FIGURES, 0) for category in ResidentCategory}
    for row in rows:
        counts = figures[row["category"]]
        counts["start"] += _in_care_at(row, start)
        counts["admitted"] += start <= row["admitted_at"] < end
        left = row["discharged_at"]
        if left is not None and start <= left < end:
            counts[_OWN_COLUMN.get(row["discharge_kind"], "discharged")] += 1
        if _in_care_at(row, end):
            counts["end"] += 1
            counts["long_stay"] += row["long_stay_on"] <= last_day
    return figures


def resident_figures(
    institution_ids: Iterable[int], months: Iterable[datetime.date]
) -> dict[tuple[int, datetime.date], dict[str, dict[str, int]]]:
    """``{(institution_id, month): {category: {figure: n}}}`` with every category, for the
    institutions that have residents on record by the month's end (one admitted before it, and
    in care at some time in the months asked); none for the others, whose reports are checked
    against nothing."""
    months = sorted({month.replace(day=1) for month in months})
    institution_ids = list(institution_ids)
    if not months or not institution_ids:
        return {}
    first, _ignored = month_bounds(months[0])
    _ignored, last = month_bounds(months[-1])
    rows: dict[int, list[dict]] = {}
    for row in (
        Resident.objects.filter(institution_id__in=institution_ids, admitted_at__lt=last)
        .filter(Q(discharged_at__isnull=True) | Q(discharged_at__gte=first))
        .values(
            "institution_id",
            "category",
            "admitted_at",
            "discharged_at",
            "discharge_kind",
            "long_stay_on",
        )
        .order_by()
    ):
        rows.setdefault(row["institution_id"], []).append(row)
    figures = {}
    for institution_id, residents in rows.items():
        for month in months:
            _start, end = month_bounds(month)
            if any(row["admitted_at"] < end for row in residents):
                figures[(institution_id, month)] = _count(residents, month)
    return figures
