"""WeasyPrint stood in for where a test asks who may fetch a PDF or what a command records, not
how a PDF looks: the view or task and its template still run (a template error still fails),
only the layout is skipped. Each kind of PDF is rendered for real by its own test: the inspection
report and notice (``inspections/test_inspection_pdfs``), the incident record
(``incidents/test_pages``), the appointment letter (``supervisors/test_pages``), the open-day
summary and poster (``openday/test_pdfs``, built by the worker) and the summary preview
(``openday/test_pdfs``)."""

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command

from audit_portal.core import pdf


class UnrenderedPDF:
    """Takes WeasyPrint's place in ``audit_portal.core.pdf``; keeps each HTML it was given."""

    rendered: list[str] = []

    def __init__(self, *, string: str, **kwargs):
        self.html = string

    def write_pdf(self) -> bytes:
        UnrenderedPDF.rendered.append(self.html)
        return b"%PDF-1.7\n%%EOF\n"


@contextmanager
def unrendered_pdfs() -> Iterator[list[str]]:
    """Within: PDFs are not laid out; yields the HTML of each one asked for."""
    real, UnrenderedPDF.rendered = pdf.HTML, []
    pdf.HTML = UnrenderedPDF
    try:
        yield UnrenderedPDF.rendered
    finally:
        pdf.HTML = real


def seed_demo() -> str:
    """``manage.py seed_demo`` as the demo tests need it: its records, histories, notifications
    and files, without laying out the open-day PDFs it publishes (the demo's open days publish
    fourteen: about half of the command's time)."""
    out = StringIO()
    with unrendered_pdfs():
        call_command("seed_demo", stdout=out)
    return out.getvalue()
