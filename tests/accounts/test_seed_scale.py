import datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.scale import SCALE_PASSWORD
from incidents.models import Incident, Report
from inspections.models import (
    CustodyAgreement,
    Inspection,
    Institution,
    Issue,
    ItemResult,
    MonthlyReport,
    MonthlyReportLine,
    QualificationDocument,
    Rectification,
)
from openday.models import Summary
from supervisors.models import Assignment, SupervisionGroup, Supervisor, Term

pytestmark = pytest.mark.django_db

# A fixed day: the records run up to "today", and the same seed on the same day gives the same
# records.
TODAY = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
DOMAIN_APPS = ("accounts", "inspections", "supervisors", "incidents", "openday")


def seed(**options) -> str:
    out = StringIO()
    with time_machine.travel(TODAY, tick=True):
        call_command("seed_scale", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def fingerprint() -> dict:
    """What the records say, without their keys (an open-day summary's depend on the database)."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS and not model.__name__.startswith("Historical")
    }
    return {
        "counts": counts,
        "institutions": sorted(Institution.objects.values_list("name", "status")),
        "issues": list(
            Issue.objects.order_by("number").values_list(
                "number", "status", "raised_on", "deadline", "closed_on"
            )
        ),
        "incidents": list(
            Incident.objects.order_by("occurred_at").values_list("kind", "status", "grade")
        ),
    }


def test_it_creates_a_city_of_records_and_prints_the_accounts():
    output = seed(institutions=3, years=1)

    assert SCALE_PASSWORD in output
    assert User.objects.get(username="city").check_password(SCALE_PASSWORD)
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind)
    assert Institution.objects.count() == 3
    for model in (QualificationDocument, CustodyAgreement, ItemResult, Rectification, Report):
        assert model.objects.exists(), model.__name__
    kinds = set(Inspection.objects.values_list("kind", flat=True))
    assert {Inspection.Kind.ROUTINE, Inspection.Kind.MONTHLY_VISIT} <= kinds
    statuses = set(Issue.objects.values_list("status", flat=True))
    assert {Issue.Status.OPEN, Issue.Status.CLOSED} <= statuses
    # Every monthly report has a line per resident category, as the services write them.
    lines = MonthlyReport.objects.annotate(n=Count("lines")).values_list("n", flat=True)
    assert lines and set(lines) == {4}
    assert set(Report.objects.values_list("stage", flat=True)) == {"initial", "followup", "final"}
    assert Term.objects.filter(undertaking_accepted_at__isnull=False).exists()
    assert SupervisionGroup.objects.filter(status=SupervisionGroup.Status.ACTIVE).exists()
    assert Assignment.objects.filter(ends_on__isnull=True).exists()
    assert Summary.objects.filter(status=Summary.Status.PUBLISHED).exists()


def test_the_records_meet_every_rule_of_the_models():
    seed(institutions=3, years=1)

    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS or model.__name__.startswith("Historical"):
            continue
        for record in model.objects.order_by("?")[:40]:
            record.full_clean()
            checked += 1
    assert checked > 300
    # The story of each issue holds together.
    for issue in Issue.objects.all():
        assert issue.original_deadline > issue.raised_on
        if issue.is_closed:
            assert issue.raised_on < issue.closed_on <= TODAY.date()
        pending = issue.rectifications.filter(decision=Rectification.Decision.PENDING)
        assert pending.exists() == (issue.status == Issue.Status.SUBMITTED)
    assert not MonthlyReportLine.objects.filter(end__lt=0).exists()
    for incident in Incident.objects.all():
        assert incident.occurred_at <= incident.discovered_at <= incident.reported_at


def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    class Undo(Exception):
        pass

    runs = []
    for seed_value in (7, 7, 8):
        with pytest.raises(Undo), transaction.atomic():
            seed(institutions=3, years=1, seed=seed_value)
            runs.append(fingerprint())
            raise Undo
    assert runs[0] == runs[1]
    assert runs[0]["institutions"] != runs[2]["institutions"]
    assert runs[0]["counts"]["inspections.Issue"] > 0


def test_it_refuses_a_database_that_holds_data():
    User.objects.create(username="someone", full_name="某人", role=User.Role.ADMIN)

    with pytest.raises(CommandError, match="already holds data"):
        seed(institutions=3, years=1)
    assert not Institution.objects.exists()
    assert not Supervisor.objects.exists()


def test_each_app_declares_its_scale_data_and_the_base_names_none():
    from audit_portal.accounts.management.commands.seed_scale import scale_seeders

    seeders = scale_seeders()
    assert seeders[0] == "audit_portal.accounts.scale.seed"
    assert seeders.index("inspections.scale.seed") < seeders.index("supervisors.scale.seed")
    assert seeders.index("supervisors.scale.seed") < seeders.index(
        "inspections.scale_inspections.seed"
    )
    assert seeders[-1] == "openday.scale.seed"
    source = Path(__file__).parents[2] / "audit_portal/accounts/management/commands/seed_scale.py"
    assert not any(app in source.read_text() for app in ("inspections", "supervisors", "openday"))
