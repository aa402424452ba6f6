"""Institutions in the shared test world.

- ``institution_a``: county A, eligible, placed with by the station (active agreement); the
  institution user's own institution.
- ``institution_b``: county B, eligible, no agreement with the station.
"""

import datetime

from guardian.shortcuts import assign_perm

from tests.inspections.factories import AgreementFactory, InstitutionFactory, make_eligible


def extend(world) -> None:
    a = make_eligible(InstitutionFactory(name="东湖区社会福利院", county=world.county_a))
    b = make_eligible(InstitutionFactory(name="西山县颐养院", county=world.county_b))
    agreement = AgreementFactory(station=world.station, institution=a)
    user = world.users["institution_user"]
    user.institution = a
    user.save()
    assign_perm("inspections.view_institution", user, a)
    world.extra.update(institution_a=a, institution_b=b, agreement_a=agreement)


def extend_evidence(world) -> None:
    """A scanned document of institution A, for the download permission checks."""
    from audit_portal.core.evidence import evidence_attach
    from tests.files import pdf_upload

    document = world.institution_a.documents.first()
    evidence = evidence_attach(
        owner=document, upload=pdf_upload(), actor=world.users["county_a_staff"]
    )
    world.extra.update(document_a=document, evidence_a=evidence)


def extend_inspections(world) -> None:
    """Inspections of institution A by county A staff.

    - ``inspection_a``: open for the institution's comments; raised ``issue_a`` (open, with a
      pending extension request ``extension_a``) and ``issue_a2`` (rectification submitted:
      ``rectification_a`` pending).
    - ``draft_a``: in progress, not shown to the institution.
    - ``issue_b``: an issue of institution B (county B), for the outsider checks.
    """
    from inspections.services.issues import extension_request, rectification_submit
    from tests.files import png_upload
    from tests.inspections.factories import commenting_inspection, started_inspection

    staff = world.users["county_a_staff"]
    inspection, (issue, issue2) = commenting_inspection(world.institution_a, staff, failing=2)
    institution_user = world.users["institution_user"]
    extension = extension_request(
        issue=issue,
        actor=institution_user,
        requested_deadline=issue.deadline + datetime.timedelta(days=10),
        reason="需采购新的灭火器，供货周期较长",
    )
    rectification = rectification_submit(
        issue=issue2, actor=institution_user, plan="已完成整改", uploads=[png_upload()]
    )
    draft = started_inspection(world.institution_a, staff)
    _, (issue_b,) = commenting_inspection(world.institution_b, world.users["county_b_staff"])
    issue.refresh_from_db()
    issue2.refresh_from_db()
    world.extra.update(
        inspection_a=inspection,
        issue_a=issue,
        issue_a2=issue2,
        extension_a=extension,
        rectification_a=rectification,
        draft_a=draft,
        issue_b=issue_b,
    )


def extend_reports(world) -> None:
    """Monthly status reports of institution A (end figures add up to its 30 agreed places, so
    the incident rates' residents stay 30):

    - ``monthly_report_a``: the last month due, submitted on time, awaiting the station's review;
    - ``accepted_monthly_report_a``: the month before, accepted by the station;
    - ``draft_monthly_report_a``: this month, a draft only the institution sees.
    """
    from django.utils import timezone

    from inspections.dates import add_months
    from inspections.models import MonthlyReport
    from inspections.models.reports import last_due_month
    from inspections.services.reports import report_review
    from tests.inspections.report_helpers import file_report

    user = world.users["institution_user"]
    today = timezone.localdate()
    due = last_due_month(today)
    accepted = file_report(world.institution_a, user, add_months(due, -1))
    accepted = report_review(report=accepted, actor=world.users["station_staff"], accept=True)
    submitted = file_report(world.institution_a, user, due)
    # Filed in time: the world is built on any day, after the due day.
    MonthlyReport.objects.filter(pk__in=[accepted.pk, submitted.pk]).update(days_late=0)
    draft = file_report(world.institution_a, user, today.replace(day=1), submit=False)
    for report in (accepted, submitted):
        report.refresh_from_db()
    world.extra.update(
        monthly_report_a=submitted, accepted_monthly_report_a=accepted, draft_monthly_report_a=draft
    )


EXTENSIONS = [extend, extend_evidence, extend_inspections, extend_reports]
