"""No full ID number anywhere it should not be: a supervisor is recorded with a known number and
another's is corrected, then every page, API answer, export and PDF that could show supervisors
is fetched, with every log line (SQL included, with its parameters) captured at DEBUG. The number
may appear only on the logged page that reveals it, and never in a log line or a mail."""

import datetime
import io
import logging
import shutil
import subprocess
import zipfile

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from supervisors import services
from supervisors.models import IdNumberView, Supervisor
from tests.file_jobs import download, post_and_build
from tests.supervisors.factories import make_id_number

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]

BORN = datetime.date(1969, 3, 8)


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607 - poppler-utils, installed for tests
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "".join(book.read(name).decode() for name in book.namelist())


def compact(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def everything_logged(caplog):
    """Every logger at DEBUG, and the SQL with its parameters (as DEBUG would log it)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    forced, connection.force_debug_cursor = connection.force_debug_cursor, True
    yield caplog
    connection.force_debug_cursor = forced


def test_no_full_id_number_in_pages_api_exports_pdfs_or_logs(
    world, assigned, client_for, everything_logged
):
    staff = client_for("city_staff")
    record = world.supervisor_record
    new_number = make_id_number(BORN, 888)
    corrected = make_id_number(record.birth_date, 777)
    numbers = (new_number, corrected)
    outputs: dict[str, str] = {}

    created = staff.post(
        reverse("supervisors:supervisor_create"),
        {
            "full_name": "王五",
            "gender": "male",
            "birth_date": BORN.isoformat(),
            "id_number": new_number,
            "employer": "江海市人民医院",
            "phone": "13900000001",
        },
    )
    assert created.status_code == 302, created.context["form"].errors
    newcomer = Supervisor.objects.get(full_name="王五")
    services.supervisor_update(
        supervisor=record, actor=world.users["admin"], reason="更正身份证号", id_number=corrected
    )

    pages = {
        "roster": reverse("supervisors:supervisor_list"),
        "record with its history": reverse("supervisors:supervisor_detail", args=[record.pk]),
        "newcomer": reverse("supervisors:supervisor_detail", args=[newcomer.pk]),
        "API list": reverse("api:supervisor-list"),
        "API record": reverse("api:supervisor-detail", args=[record.pk]),
        "admin list": reverse("admin:supervisors_supervisor_changelist"),
    }
    for name, url in pages.items():
        client = client_for("admin") if name.startswith("admin") else staff
        response = client.get(url)
        assert response.status_code == 200, name
        outputs[name] = response.content.decode()
    outputs["own record"] = client_for("supervisor").get(reverse("supervisors:my_record")).content
    outputs["own record"] = outputs["own record"].decode()
    letter = staff.get(reverse("supervisors:term_letter", args=[world.supervisor_term.pk]))
    outputs["appointment letter PDF"] = pdf_text(letter.content)

    exports = {
        "issue ledger": reverse("inspections:issue_ledger_export"),
        "report ledger": reverse("inspections:report_export"),
    }
    for name, url in exports.items():
        _response, job = post_and_build(staff, url)
        outputs[name] = xlsx_text(download(staff, job))
    _response, job = post_and_build(
        client_for("county_a_staff"), reverse("openday:summary_preview", args=[world.draft.pk])
    )
    outputs["open-day preview PDF"] = pdf_text(download(client_for("county_a_staff"), job))

    revealed = staff.post(reverse("supervisors:supervisor_id_number", args=[record.pk]))
    assert corrected in revealed.content.decode()
    assert IdNumberView.objects.filter(supervisor=record).exists()

    outputs["mail"] = "".join(f"{m.subject}{m.body}" for m in mail.outbox)
    outputs["log"] = everything_logged.text + "".join(
        f"{r.getMessage()}{r.args!r}" for r in everything_logged.records
    )
    assert "supervisors_supervisor" in outputs["log"]  # the SQL was captured
    leaks = [
        name for name, text in outputs.items() for number in numbers if number in compact(text)
    ]
    assert leaks == []
    assert newcomer.masked_id_number in outputs["newcomer"]
    assert record.masked_id_number in outputs["appointment letter PDF"]
