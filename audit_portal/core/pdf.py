"""PDF rendering with WeasyPrint for every official document (reports, notices, letters).

Templates extend ``pdf/base.html`` (A4, Noto Sans CJK SC, "page X of Y" in the footer). The URL
fetcher only serves the app's own static files and ``data:`` URLs: a template can never make the
server fetch an outside or internal address.
"""

import mimetypes
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from weasyprint import HTML

try:  # WeasyPrint < 70: fetchers are functions returning dicts.
    from weasyprint import default_url_fetcher
except ImportError:  # WeasyPrint >= 70: fetchers are URLFetcher objects returning responses.
    default_url_fetcher = None
    from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "app-static:///"


class ForbiddenURL(ValueError):
    pass


def _is_data(url: str) -> bool:
    return url[:5].lower() == "data:"


def url_fetcher(url: str, *args, **kwargs):
    if _is_data(url):
        if default_url_fetcher is None:  # WeasyPrint >= 70 reads data: URLs in the class below
            raise ForbiddenURL("data: URLs are read by the fetcher class")
        return default_url_fetcher(url, *args, **kwargs)
    parsed = urlparse(url)
    if parsed.scheme != "app-static":
        raise ForbiddenURL(f"PDF templates may load only static files, not {url!r}")
    path = unquote(parsed.path).lstrip("/")
    if path.startswith(settings.STATIC_URL.strip("/") + "/"):
        path = path[len(settings.STATIC_URL.strip("/")) + 1 :]
    # Refuse a climb out of the static folders before asking the finders anything.
    if ".." in path.replace("\\", "/").split("/"):
        raise ForbiddenURL(f"no static file {path!r}")
    found = finders.find(path)
    if not found:
        raise ForbiddenURL(f"no static file {path!r}")
    with open(found, "rb") as handle:
        data = handle.read()
    return {"string": data, "mime_type": mimetypes.guess_type(found)[0], "redirected_url": url}


if default_url_fetcher is None:

    class _StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if _is_data(url):
                return super().fetch(url, headers)
            found = url_fetcher(url)
            return URLFetcherResponse(
                url, body=found["string"], headers={"Content-Type": found["mime_type"] or ""}
            )


def render_pdf(template: str, context: dict, *, language: str | None = None) -> bytes:
    """The PDF of ``template``. Official documents (整改通知书, inspection reports, incident
    reports, appointment letters) are issued in Chinese whatever language the person printing
    them browses in; only a document published for the public in each of the site's languages
    (the open-day summary and posters) names its ``language``."""
    with translation.override(language or settings.OFFICIAL_LANGUAGE):
        html = render_to_string(template, context)
    fetcher = url_fetcher if default_url_fetcher is not None else _StaticOnlyFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
