"""The PDF renderer fetches only the app's own static files and data: URLs: a template (or text
put in one) can never make the server reach an outside or internal address."""

import socket

import pytest

from audit_portal.core import pdf

FORBIDDEN = [
    "http://example.com/logo.png",
    "https://example.com/style.css",
    "http://127.0.0.1:8000/admin/",
    "http://169.254.169.254/latest/meta-data/",
    "file:///etc/passwd",
    "ftp://example.com/x",
    "app-static:///../../audit_portal/settings/base.py",
    "app-static:///css/..%2F..%2Fsettings.py",
    "app-static:///css/no-such-file.css",
]


def fetch(url: str):
    if pdf.default_url_fetcher is None:
        return pdf._StaticOnlyFetcher().fetch(url)
    return pdf.url_fetcher(url)


@pytest.mark.parametrize("url", FORBIDDEN)
def test_an_outside_or_unknown_url_is_refused(url):
    with pytest.raises(pdf.ForbiddenURL):
        fetch(url)


def test_the_apps_own_static_file_is_served():
    response = fetch("app-static:///static/css/app.css")
    body = response["string"] if isinstance(response, dict) else response.read()
    assert b"Custody institution audit system" in body


def test_a_data_url_is_read():
    response = fetch("data:text/plain;base64,5pW05pS5")
    body = response["string"] if isinstance(response, dict) else response.read()
    assert body.decode() == "整改"


def test_rendering_a_page_that_names_outside_urls_opens_no_connection(monkeypatch, settings):
    opened = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise OSError("no network in PDF rendering")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = (
        '<link rel="stylesheet" href="https://example.com/x.css">'
        '<img src="http://127.0.0.1:1/secret.png"><p>整改通知书</p>'
    )
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [("django.template.loaders.locmem.Loader", {"t.html": html})],
            },
        }
    ]
    settings.TEMPLATES[0].pop("APP_DIRS", None)
    content = pdf.render_pdf("t.html", {})
    assert content.startswith(b"%PDF")
    assert opened == []
