"""The benchmark's measurements that run inside Django, one child process each (``scripts/bench.py``
starts them with DATABASE_URL pointing at the database to measure, reads the JSON they print and
their peak memory from the operating system):

- ``noop``: nothing (the memory of a process that has set Django up), ``counts``: the data;
- ``pages``: the pages to drive, their URLs in this database, and the queries each one makes
  (django.test.Client in-process, logged in as the same user the load generator uses);
- ``sessions USER COUNT``: login sessions for the load generator (real sessions in the database);
- ``export ROWS``: the issue-ledger Excel export of that many rows;
- ``pdf``: the city open-day PDF; ``plain PAGES``: a plain WeasyPrint table of that many pages.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "audit_portal.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from audit_portal.accounts.models import User  # noqa: E402

BACKEND = "audit_portal.accounts.backends.RoleBackend"
STAFF, SUPERVISOR = "city", "supervisor"


def _pages() -> list[dict]:
    """(name, user, URL) of each page measured; the issue and the institution are picked by the
    same rule in every database: the first institution (an old, approved one with an agreement
    and a supervisor group) and its issue awaiting verification after a rejected attempt."""
    from inspections.models import Institution, Issue

    institution = Institution.objects.order_by("pk").first()
    issues = Issue.objects.filter(institution=institution).order_by("pk")
    issue = (
        issues.filter(status="submitted", rectifications__decision="rejected").first()
        or issues.exclude(status="closed").first()
        or issues.first()
    )
    return [
        {"name": "/healthz", "user": None, "path": reverse("healthz"), "floor": "healthz"},
        {
            "name": "logged-in page with no content (password change)",
            "user": STAFF,
            "path": reverse("accounts:password_change"),
            "floor": "login",
        },
        {"name": "staff home", "user": STAFF, "path": reverse("home")},
        {"name": "risk dashboard", "user": STAFF, "path": reverse("inspections:dashboard")},
        {"name": "issue ledger", "user": STAFF, "path": reverse("inspections:issue_ledger")},
        {
            "name": "issue detail",
            "user": STAFF,
            "path": reverse("inspections:issue_detail", args=[issue.pk]),
        },
        {
            "name": "institution detail",
            "user": STAFF,
            "path": reverse("inspections:institution_detail", args=[institution.pk]),
        },
        {"name": "supervisor home", "user": SUPERVISOR, "path": reverse("home")},
        {"name": "inspection list", "user": STAFF, "path": reverse("inspections:inspection_list")},
        {"name": "incident list", "user": STAFF, "path": reverse("incidents:incident_list")},
        {"name": "monthly report list", "user": STAFF, "path": reverse("inspections:report_list")},
    ]


def signed_in(user: User) -> Client:
    """A client signed in as ``user`` as they work: staff and administrators past their second
    step (a confirmed TOTP device, the session verified with it, as the code page leaves it),
    so the pages cost what they cost them, the device read by django-otp included."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from audit_portal.accounts.two_factor.services import PENDING_SESSION_KEY

    client = Client()
    client.force_login(user, backend=BACKEND)
    if user.needs_second_factor:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="benchmark", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.pop(PENDING_SESSION_KEY, None)
        session.save()
    return client


def pages() -> dict:
    """Each page once to warm the caches a running server has warm, then once counting."""
    clients = {None: Client()}
    for username in (STAFF, SUPERVISOR):
        clients[username] = signed_in(User.objects.get(username=username))
    result = []
    for page in _pages():
        client = clients[page["user"]]
        client.get(page["path"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"])
        if response.status_code != 200:
            raise SystemExit(f"{page['path']} answered {response.status_code} to {page['user']}")
        result.append(
            {
                **page,
                "queries": len(queries),
                "status": response.status_code,
                **_in_process(client, page["path"]),
            }
        )
    return {"pages": result}


def _in_process(client: Client, path: str, times: int = 7) -> dict:
    """The page's median time in this process (no HTTP), with its rows' markup written afresh
    (``{% memo %}`` emptied before each request: the first visitor of this data) and kept (as
    the next visitors of the same data get it)."""
    import statistics

    from audit_portal.core import fragments

    def timed(*, fresh: bool) -> float:
        samples = []
        for _ in range(times):
            if fresh:
                fragments.kept.clear()
            started = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    return {"fresh_ms": timed(fresh=True) * 1000, "kept_ms": timed(fresh=False) * 1000}


def sessions(username: str, count: int) -> dict:
    user = User.objects.get(username=username)
    keys = []
    for _ in range(count):
        client = signed_in(user)
        keys.append(client.cookies["sessionid"].value)
    return {"sessions": keys}


def _ledger_rows(count: int):
    """The ledger rows of the first ``count`` issues the city sees (the issues again from the
    start when there are fewer), counted down a batch at a time as the export does."""
    from inspections.exports import for_export
    from inspections.selectors.inspections import issues_for
    from inspections.selectors.ledger import ledger_rows

    on = timezone.localdate()
    issues = for_export(issues_for(User.objects.get(username=STAFF))).order_by("pk")
    left = count if issues.exists() else 0
    while left > 0:
        batch = []
        for issue in issues[:left].iterator(chunk_size=2000):
            batch.append(issue)
            if len(batch) == 500:
                yield from ledger_rows(batch, on)
                batch = []
        yield from ledger_rows(batch, on)
        left -= min(left, issues[:left].count())


def ledger_export(count: int) -> dict:
    """The issue-ledger workbook of ``count`` rows (the worker's build, whichever form
    ``inspections.exports.ledger_workbook`` has: writing into a file, or returning bytes)."""
    import inspect

    from inspections.exports import ledger_workbook

    user = User.objects.get(username=STAFF)
    started = time.perf_counter()
    options = {"on": timezone.localdate(), "filters": [], "exported_by": user}
    if "into" in inspect.signature(ledger_workbook).parameters:
        with tempfile.TemporaryFile() as into:
            ledger_workbook(_ledger_rows(count), into=into, **options)
            size = into.tell()
    else:
        size = len(ledger_workbook(list(_ledger_rows(count)), **options))
    return {"rows": count, "seconds": time.perf_counter() - started, "bytes": size}


def _pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(  # noqa: S603 - poppler's pdfinfo on our own file
            [shutil.which("pdfinfo") or "pdfinfo", handle.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def city_pdf() -> dict:
    """The city open-day summary PDF, rendered as the worker (or, before it, the public URL)
    renders it."""
    from audit_portal.core.pdf import render_pdf
    from openday.models import Summary
    from openday.views.contexts import pdf_summary_context

    summary = Summary.objects.filter(status=Summary.Status.PUBLISHED).order_by("-year").first()
    started = time.perf_counter()
    pdf = render_pdf("openday/pdf/summary.html", pdf_summary_context(summary))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "pages": _pdf_pages(pdf),
        "bytes": len(pdf),
        "entries": summary.entries.count(),
    }


def plain_pdf(pages: int) -> dict:
    """A plain WeasyPrint table of about ``pages`` pages, in the look of every PDF of the system
    (``pdf/base.html``: A4, the CJK font, page numbers), with no data read."""
    from django.template import engines
    from weasyprint import HTML

    row = "<tr><td>{n}</td><td>江海市某某区社会福利院</td><td>检查 12 次，问题 34 项</td></tr>"

    def render(rows: int) -> tuple[bytes, float]:
        started = time.perf_counter()
        body = "".join(row.format(n=n) for n in range(rows))
        source = (
            '{% extends "pdf/base.html" %}{% block content %}<table>'
            f"{body}</table>{{% endblock %}}"
        )
        pdf = HTML(string=engines["django"].from_string(source).render({})).write_pdf()
        return pdf, time.perf_counter() - started

    probe, _seconds = render(400)
    per_page = 400 / max(_pdf_pages(probe), 1)
    rows = round(per_page * pages)
    pdf, seconds = render(rows)
    return {"seconds": seconds, "pages": _pdf_pages(pdf), "bytes": len(pdf), "rows": rows}


def counts() -> dict:
    """What the database holds, and the versions of what serves it."""
    from incidents.models import Incident, Report
    from inspections.models import Inspection, Institution, Issue, ItemResult, MonthlyReport
    from supervisors.models import Supervisor

    result = {
        "institutions": Institution.objects.count(),
        "inspections": Inspection.objects.count(),
        "item results": ItemResult.objects.count(),
        "issues": Issue.objects.count(),
        "incidents": Incident.objects.count(),
        "stage reports": Report.objects.count(),
        "monthly reports": MonthlyReport.objects.count(),
        "supervisors": Supervisor.objects.filter(terms__isnull=False).distinct().count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {"counts": result, "postgres": postgres, "django": django.get_version()}


def main() -> None:
    task, *args = sys.argv[1:]
    if task == "noop":
        result = {}
    elif task == "counts":
        result = counts()
    elif task == "pages":
        result = pages()
    elif task == "sessions":
        result = sessions(args[0], int(args[1]))
    elif task == "export":
        result = ledger_export(int(args[0]))
    elif task == "pdf":
        result = city_pdf()
    elif task == "plain":
        result = plain_pdf(int(args[0]))
    else:
        raise SystemExit(f"unknown task {task!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
