"""Keeping the risk dashboard's stored figures (``InstitutionRisk``) up to date.

- A saved or deleted record the figures come from stamps its institution's row as changed
  (``risk_watch``, connected by each app that owns such a record, whatever the code path).
- A page about to show rows first recounts those of its scope that are out of date
  (``risk_bring_up_to_date``): a few after ordinary work, counted in the request; the whole
  scope after midnight, when every date-dependent figure moves, goes to the worker and the page
  shows the figures of the day before with their date until it is done.
- ``manage.py count_risk`` (the daily run) recounts every institution.
"""

import datetime
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from inspections.models import Institution, InstitutionRisk, Issue, IssueTally
from inspections.selectors.reports import is_flagged, report_checks
from inspections.selectors.risk import figures_queryset, latest_reports, score, score_parts

# Rows recounted inside a request; more than this is the worker's.
COUNT_IN_REQUEST = 50
# Institutions counted per query.
BATCH = 200

_FIGURES = [
    "is_eligible",
    "open_issues",
    "overdue_issues",
    "last_inspection",
    "last_visit",
    "last_report_month",
    "missing_reports",
    "owes_visit_last_month",
    "visited_last_month",
    "has_active_agreement",
    "residents",
    "incident_count",
    "death_count",
    "incident_rate",
]


def risk_count(
    *, institution_ids: Iterable[int] | None = None, on: datetime.date | None = None
) -> int:
    """Recount the figures of the given institutions (all by default) as of ``on``; returns how
    many rows were written."""
    on = on or timezone.localdate()
    # Terminated institutions too: the dashboard leaves them out, the ledger still counts their
    # issues.
    institutions = Institution.objects.all()
    if institution_ids is None:
        ids = list(institutions.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(institution_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _count_batch(institutions.filter(pk__in=ids[start : start + BATCH]), on)
    return written


def _count_batch(institutions: QuerySet[Institution], on: datetime.date) -> int:
    started = timezone.now()
    counted = list(figures_queryset(institutions, on))
    latest = latest_reports(counted)
    checks = report_checks(latest.values())
    rows = []
    for institution in counted:
        row = InstitutionRisk(
            institution_id=institution.pk,
            counted_on=on,
            counted_at=started,
            **{name: getattr(institution, name) for name in _FIGURES},
        )
        report = latest.get(institution.pk)
        row.latest_report = report
        row.latest_report_flagged = report is not None and is_flagged(report, checks[report.pk])
        row.score = score(score_parts(row, on))
        rows.append(row)
    _tally_issues([row.institution_id for row in rows], on)
    InstitutionRisk.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["institution"],
        # Not ``changed_at``: a change stamped while this count ran keeps the row stale.
        update_fields=[
            "counted_on",
            "counted_at",
            "score",
            "latest_report",
            "latest_report_flagged",
            *_FIGURES,
        ],
    )
    return len(rows)


def _tally_issues(institution_ids: list[int], on: datetime.date) -> None:
    """The issue ledger's counts per institution, area and severity (``IssueTally``)."""
    unclosed = ~Q(status=Issue.Status.CLOSED)
    submitted = Q(status=Issue.Status.SUBMITTED)
    overdue = unclosed & Q(deadline__lt=on)
    groups = (
        Issue.objects.filter(institution_id__in=institution_ids)
        .order_by()
        .values("institution", "area", "severity")
        .annotate(
            total=Count("pk"),
            unclosed=Count("pk", filter=unclosed),
            submitted=Count("pk", filter=submitted),
            overdue=Count("pk", filter=overdue),
            overdue_submitted=Count("pk", filter=overdue & submitted),
        )
    )
    tallies = [
        IssueTally(
            institution_id=group.pop("institution"),
            counted_on=on,
            **group,
        )
        for group in groups
    ]
    IssueTally.objects.filter(institution_id__in=institution_ids).delete()
    IssueTally.objects.bulk_create(tallies)


def risk_mark_changed(institution_id: int) -> None:
    InstitutionRisk.objects.filter(institution_id=institution_id).update(changed_at=timezone.now())


def risk_watch(model: type[Model], institution: str = "institution_id") -> None:
    """Stamp the institution's figures as changed whenever a ``model`` row is saved or deleted;
    ``institution`` names the attribute holding the institution's id."""

    def changed(sender, instance, **kwargs) -> None:
        institution_id = getattr(instance, institution, None)
        if institution_id:
            risk_mark_changed(institution_id)

    uid = f"inspections.risk:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def risk_bring_up_to_date(institutions: QuerySet[Institution], on: datetime.date) -> bool:
    """Recount the out-of-date rows among ``institutions`` (a user's scope): in this request when
    they are few, otherwise in the worker (once per day and scope). True when every row in scope
    is up to date on return."""
    outdated = list(
        institutions.filter(
            Q(risk__isnull=True)
            | Q(pk__in=InstitutionRisk.objects.needing_count(on).values("institution"))
        ).values_list("pk", flat=True)[: COUNT_IN_REQUEST + 1]
    )
    if not outdated:
        return True
    if len(outdated) <= COUNT_IN_REQUEST:
        risk_count(institution_ids=outdated, on=on)
        return True
    if cache.add(f"inspections:risk-count:{on:%Y%m%d}", True, timeout=15 * 60):
        from inspections.tasks import count_risk

        transaction.on_commit(lambda: count_risk.enqueue(on=on.isoformat()))
    return False
