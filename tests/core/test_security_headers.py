"""The headers every response carries (issue 18): the Content-Security-Policy, the
Permissions-Policy and ``Cache-Control: no-store`` on what a signed-in user sees; and the
templates written so that the strict policy holds (no inline style, script or handler)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.openday.factories import public_form

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in filter(None, (part.strip() for part in header.split(";"))):
        name, _, sources = part.partition(" ")
        directives[name] = sources
    return directives


def assert_strict(response) -> None:
    assert policy(response) == STRICT
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def inline_scripts(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<script\b[^>]*>", html) if " src=" not in tag]


# Content-Security-Policy ------------------------------------------------------------------------


def test_an_anonymous_page_carries_the_strict_policy(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert_strict(response)


def test_a_signed_in_page_carries_the_strict_policy(world, client_for):
    response = client_for("county_a_staff").get(reverse("home"))
    assert response.status_code == 200
    assert_strict(response)


def test_the_public_open_day_page_carries_the_strict_policy(client):
    assert_strict(client.get(reverse("openday:index")))


def test_the_risk_dashboard_draws_its_bars_without_inline_styles(world, client_for):
    response = client_for("city_staff").get(reverse("inspections:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert_strict(response)
    assert "style=" not in page
    # The punctuality bars: one sized svg per segment, the share in its width attribute.
    assert re.search(r'<svg class="seg seg--on_time" width="[0-9.]+%">', page)


# Forms and template tags write attributes too (a widget's attrs): the pages as served.
PAGES = [
    "home",
    "inspections:institution_list",
    "inspections:inspection_list",
    "inspections:issue_ledger",
    "inspections:report_list",
    "inspections:dashboard",
    "supervisors:supervisor_list",
    "incidents:incident_list",
    "notices:list",
    "files:list",
]


@pytest.mark.parametrize("name", PAGES)
def test_a_served_page_has_no_inline_style_or_script(world, client_for, name):
    response = client_for("city_staff").get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"\sstyle\s*=", page) is None
    assert inline_scripts(page) == []


def test_the_api_documentation_page_widens_only_its_images(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert policy(response) == {**STRICT, "img-src": "'self' data:"}
    assert inline_scripts(response.content.decode()) == []
    assert "<style" not in response.content.decode()


def test_the_api_documentation_script_is_a_file_of_its_own(client):
    response = client.get(reverse("api:docs"), {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in response.content


def test_the_admin_login_renders_under_the_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_strict(response)
    assert inline_scripts(response.content.decode()) == []


def test_the_admin_index_and_a_list_render_under_the_policy(world, client_for):
    admin = client_for("admin")
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        page = response.content.decode()
        assert inline_scripts(page) == [], url
        assert "<style" not in page, url


# The templates ----------------------------------------------------------------------------------

# Rendered by WeasyPrint into PDFs, never served as HTML: no browser policy applies to them.
PDF_TEMPLATES = {
    "templates/pdf/base.html",
    "incidents/templates/incidents/pdf/incident.html",
    "incidents/templates/incidents/chain/pdf.html",
    "inspections/templates/inspections/pdf/inspection_report.html",
    "inspections/templates/inspections/pdf/issue_table.html",
    "inspections/templates/inspections/pdf/rectification_notice.html",
    "inspections/templates/inspections/pdf/style.html",
    "openday/templates/openday/pdf/_figures.html",
    "openday/templates/openday/pdf/poster.html",
    "openday/templates/openday/pdf/summary.html",
    "supervisors/templates/supervisors/pdf/appointment_letter.html",
}
BASE = Path(settings.BASE_DIR)
FORBIDDEN = {
    "a style attribute": re.compile(r"""\sstyle\s*=""", re.IGNORECASE),
    "a <style> block": re.compile(r"<style\b", re.IGNORECASE),
    "a <script> without src": re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "an event handler attribute": re.compile(r"""<[^>]*\son[a-z]+\s*=\s*["']""", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def project_templates() -> list[Path]:
    """The HTML templates of the project (not of the libraries in the virtualenv)."""
    found = []
    for directory in (BASE / "templates", *BASE.glob("*/templates"), *BASE.glob("*/*/templates")):
        if ".venv" in directory.parts:
            continue
        found.extend(directory.rglob("*.html"))
    return sorted(found)


def test_the_walk_finds_the_templates():
    names = {str(path.relative_to(BASE)) for path in project_templates()}
    assert "templates/base.html" in names
    assert "inspections/templates/inspections/dashboard/page.html" in names
    assert "audit_portal/api/templates/api/swagger_ui.html" in names


def test_every_pdf_template_skipped_exists():
    names = {str(path.relative_to(BASE)) for path in project_templates()}
    assert PDF_TEMPLATES - names == set()


def test_no_template_served_as_html_has_an_inline_style_script_or_handler():
    found = []
    for path in project_templates():
        name = str(path.relative_to(BASE))
        if name in PDF_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in FORBIDDEN.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert found == []


def test_the_walk_would_see_an_inline_style():
    assert FORBIDDEN["a style attribute"].search('<p class="x" style="color:red">')
    assert FORBIDDEN["a <script> without src"].search("<script>alert(1)</script>")
    assert not FORBIDDEN["a <script> without src"].search('<script src="/static/a.js"></script>')
    assert FORBIDDEN["an event handler attribute"].search('<button onclick="go()">')
    assert not FORBIDDEN["an event handler attribute"].search("<p>on time=ok</p>")


# Permissions-Policy -----------------------------------------------------------------------------


def test_the_permissions_policy_refuses_every_powerful_feature(world, client, client_for):
    for response in (
        client.get(reverse("accounts:login")),
        client_for("county_a_staff").get(reverse("home")),
    ):
        assert response["Permissions-Policy"] == (
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )


# Cache-Control ----------------------------------------------------------------------------------


def test_a_signed_in_page_is_not_stored(world, client_for):
    response = client_for("county_a_staff").get(reverse("inspections:institution_list"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_an_evidence_download_is_not_stored(world, client_for):
    response = client_for("county_a_staff").get(
        reverse("evidence_download", args=[world.evidence_a.pk])
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_open_day_page_stays_cacheable_even_for_a_signed_in_user(world, client_for):
    for persona in ("anonymous", "county_a_staff"):
        response = client_for(persona).get(reverse("openday:index"))
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=300", persona


def test_an_anonymous_page_is_left_to_the_browser(client):
    response = client.get(reverse("openday:visit_lookup"))
    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_the_answer_to_a_public_look_up_is_not_stored(client):
    response = client.post(
        reverse("openday:visit_lookup"), public_form(code="NOPE1234", phone="13900000000")
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_health_check_keeps_its_own_header(client):
    response = client.get(reverse("healthz"))
    # never_cache's header, untouched by the middleware.
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
