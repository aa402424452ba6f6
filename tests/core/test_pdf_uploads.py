"""A PDF that acts when opened (scripts, launched programs, embedded files) is refused; a plain
one, links included, is accepted."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from audit_portal.core.evidence import clean_upload
from tests.files import MINIMAL_PDF


def pdf(open_action: dict | None = None, **catalog) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    root = writer._root_object
    if open_action is not None:
        root[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject(k): v for k, v in open_action.items()}
        )
    for key, value in catalog.items():
        root[NameObject(f"/{key}")] = value
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", data, content_type="application/pdf")


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        clean_upload(upload(data))
    return refused.value


def test_a_plain_pdf_is_accepted():
    assert clean_upload(upload(MINIMAL_PDF)) == ("application/pdf", MINIMAL_PDF)


def test_a_pdf_opening_on_its_first_page_is_accepted():
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page.indirect_reference, NameObject("/Fit")]
    )
    out = io.BytesIO()
    writer.write(out)
    assert clean_upload(upload(out.getvalue()))[0] == "application/pdf"


def test_a_pdf_running_javascript_when_opened_is_refused():
    data = pdf({"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")})
    error = refusal(data)
    assert error.code == "evidence_active_pdf"


def test_a_pdf_launching_a_program_is_refused():
    data = pdf({"/S": NameObject("/Launch"), "/F": TextStringObject("cmd.exe")})
    assert refusal(data).code == "evidence_active_pdf"


def test_hex_escaped_names_do_not_hide_a_script():
    data = pdf({"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")})
    disguised = data.replace(b"/JS ", b"/J#53 ").replace(b"/S /JavaScript", b"/S /J#61vaScript")
    assert b"/J#53" in disguised
    assert refusal(disguised).code == "evidence_active_pdf"


def test_a_script_in_the_document_names_tree_is_refused():
    names = DictionaryObject(
        {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): ArrayObject()})}
    )
    assert refusal(pdf(Names=names)).code == "evidence_active_pdf"


def test_a_page_action_is_refused():
    action = DictionaryObject(
        {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/JavaScript")})}
    )
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    page[NameObject("/AA")] = action
    page[NameObject("/Rotate")] = NumberObject(0)
    out = io.BytesIO()
    writer.write(out)
    assert refusal(out.getvalue()).code == "evidence_active_pdf"


def test_a_file_that_only_starts_like_a_pdf_is_refused_as_damaged():
    assert refusal(b"%PDF-1.7\nnot a pdf at all\n%%EOF\n").code == "evidence_corrupt"
