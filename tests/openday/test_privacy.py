"""No resident and no supervisor's private data on the public pages or in the public PDFs: the
test seeds personal values everywhere the summary reads from and searches every public output."""

import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from openday import services
from openday.tasks import render_public_files
from tests.openday.factories import incident, issue

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture
def seeded(world):
    cache.clear()
    a = world.institution_a
    record = world.supervisor_record
    a.legal_representative = "法人代表甄士隐"
    a.contact_person = "联系人贾雨村"
    a.contact_phone = "0512-66667777"
    a._change_reason = "测试"
    a.save()
    city = world.users["city_staff"]
    draft = world.draft
    day = draft.period_end
    issue(a, world.users["supervisor"], raised_on=day)
    row = incident(a, world.users["institution_user"], occurred=day, kind="death", deaths=1)
    row.reports.create(
        stage="initial",
        submitted_by=world.users["institution_user"],
        submitted_at=row.reported_at,
        place="三楼304室",
        source="护理员林黛玉发现",
        account="托养人员薛宝钗（身份证320102195001011234）突发疾病",
        impact_scope="一人",
        damage_estimate="无",
        onsite_rescue="急救",
        measures="报警",
        deaths=1,
        serious_injuries=0,
        direct_loss=0,
        missing_count=0,
    )
    services.summary_regenerate(summary=draft, actor=city)
    services.summary_approve(summary=draft, actor=world.approver)
    services.summary_publish(summary=draft, actor=world.approver)
    return [
        record.full_name,
        record.id_number,
        record.phone,
        record.email,
        record.employer,
        "法人代表甄士隐",
        "联系人贾雨村",
        "0512-66667777",
        "林黛玉",
        "薛宝钗",
        "320102195001011234",
        "三楼304室",
        "责任人甲",
        world.registration.name,
        world.registration.phone,
        world.public_complaint.name,
        world.public_complaint.phone,
        world.public_complaint.text,
        world.users["city_staff"].get_full_name(),
        world.approver.get_full_name(),
        world.users["supervisor"].get_full_name(),
    ]


def _public_urls(world):
    a, b = world.institution_a.pk, world.institution_b.pk
    return [
        reverse("openday:index"),
        reverse("openday:area", kwargs={"year": 2027}),
        reverse("openday:area", kwargs={"year": 2026}),
        reverse("openday:institution", kwargs={"year": 2027, "institution": a}),
        reverse("openday:institution", kwargs={"year": 2027, "institution": b}),
        reverse("openday:visit_list", kwargs={"year": 2027}),
        reverse("openday:visit_register", kwargs={"year": 2027, "institution": a}),
        reverse("openday:complaint_submit", kwargs={"institution": a}),
    ]


def _pdf_urls(world):
    a = world.institution_a.pk
    return [
        reverse("openday:summary_pdf", kwargs={"year": 2027}),
        reverse("openday:poster", kwargs={"year": 2027, "institution": a}),
    ]


def test_no_personal_value_in_the_public_html(world, seeded, client):
    for url in _public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        leaked = [value for value in seeded if value and value in html]
        assert not leaked, (url, leaked)


def test_no_personal_value_in_the_public_pdfs(world, seeded, client, tmp_path):
    # The PDFs the worker renders at publication (the fixture published without running it).
    with TestCase.captureOnCommitCallbacks(execute=True):
        render_public_files.call(world.draft.pk)
    for url in _pdf_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / "out.pdf"
        path.write_bytes(b"".join(response.streaming_content))
        text = subprocess.run(  # noqa: S603 — a fixed tool on a file the test wrote
            [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert world.institution_a.name in text or "开放日" in text
        compact = text.replace("\n", "").replace(" ", "")
        leaked = [value for value in seeded if value and value.replace(" ", "") in compact]
        assert not leaked, (url, leaked)


def test_small_counts_show_as_fewer_than_the_threshold(world, seeded, client):
    html = client.get(
        reverse("openday:institution", kwargs={"year": 2027, "institution": world.institution_a.pk})
    ).content.decode()
    assert "少于3" in html or "fewer than 3" in html
