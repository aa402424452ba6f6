import datetime

import factory

from audit_portal.core.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from inspections.models import (
    CustodyAgreement,
    DocumentKind,
    Institution,
    QualificationDocument,
    ResidentCategory,
)
from tests.factories import OrganisationFactory, UserFactory


def make_credit_code(n: int) -> str:
    body = (
        "5213" + "0100" + "MJ" + "".join(CREDIT_CODE_ALPHABET[(n // 31**i) % 31] for i in range(7))
    )
    return body + credit_code_check_character(body)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试福利院{n}")
    credit_code = factory.Sequence(make_credit_code)
    kind = Institution.Kind.SOCIAL_WELFARE
    legal_representative = "张三"
    address = "江海市东湖区幸福路1号"
    county = factory.SubFactory(
        OrganisationFactory, kind="county", parent=factory.SubFactory(OrganisationFactory)
    )
    bed_capacity = 120
    operation_started_on = datetime.date(2020, 1, 1)
    contact_person = "李四"
    contact_phone = "0512-88886666"
    status = Institution.Status.APPROVED


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationDocument

    institution = factory.SubFactory(InstitutionFactory)
    kind = DocumentKind.LEGAL_PERSON
    number = factory.Sequence(lambda n: f"证-{n:05d}")
    issuer = "江海市行政审批局"
    valid_from = datetime.date(2020, 1, 1)
    valid_until = None
    status = QualificationDocument.Status.VERIFIED
    submitted_by = factory.SubFactory(UserFactory)
    reviewed_by = factory.LazyAttribute(lambda d: None if d.status == "pending" else UserFactory())


def make_eligible(
    institution: Institution, food_licence_until=datetime.date(2030, 12, 31), skip=()
):
    """Give ``institution`` one verified document for every condition (but those in ``skip``)."""
    reviewer = UserFactory(organisation=institution.county)
    for kind in DocumentKind:
        if kind in skip:
            continue
        DocumentFactory(
            institution=institution,
            kind=kind,
            valid_until=food_licence_until if kind == DocumentKind.FOOD_LICENCE else None,
            reviewed_by=reviewer,
            submitted_by=reviewer,
        )
    return institution


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustodyAgreement

    number = factory.Sequence(lambda n: f"托养协议-{n:04d}")
    station = factory.SubFactory(
        OrganisationFactory, kind="station", parent=factory.SubFactory(OrganisationFactory)
    )
    institution = factory.SubFactory(InstitutionFactory)
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2027, 12, 31)
    agreed_places = 30
    categories = factory.LazyFunction(lambda: [ResidentCategory.ELDERLY, ResidentCategory.DISABLED])
    fee_basis = "每人每月 2800 元"
    status = CustodyAgreement.Status.ACTIVE


def default_template():
    from inspections.models import ChecklistTemplate

    return ChecklistTemplate.objects.get(code="custody-standard", status="active")


def started_inspection(institution, lead, *, kind="routine", team=(), template=None):
    """An inspection planned and started by ``lead`` with the default checklist."""
    from inspections.services.inspections import inspection_plan, inspection_start

    inspection = inspection_plan(
        institution=institution,
        kind=kind,
        planned_on=institution.created_at.date(),
        template=None if kind == "recheck" else (template or default_template()),
        team=list(team),
        actor=lead,
    )
    return inspection_start(inspection=inspection, actor=lead)


def signature_png(width: int = 300, height: int = 100) -> bytes:
    """A signature as the pad sends it: a dark stroke on a transparent background."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).line(
        [(20, 70), (80, 20), (140, 80), (200, 30), (270, 60)], fill=(17, 17, 17, 255), width=4
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def sign_on_site(inspection, lead, *, representative="王院长"):
    """What the draft needs before it is submitted: the lead's and the representative's
    signatures."""
    from inspections.services.signatures import signature_record

    signature_record(inspection=inspection, actor=lead, signer=lead, image=signature_png())
    signature_record(
        inspection=inspection, actor=lead, signer_name=representative, image=signature_png()
    )


def submitted_inspection(institution, lead, *, failing=1, **kwargs):
    """Every item conforms except the first ``failing`` ones; the draft is submitted, raising
    one issue per failing item. Returns the inspection and its issues."""
    from inspections.services.inspections import inspection_record, inspection_submit

    inspection = started_inspection(institution, lead, **kwargs)
    results = {}
    for index, row in enumerate(inspection.results.order_by("item__position")):
        failed = index < failing
        results[row.pk] = {
            "result": "nonconforming" if failed else "conforms",
            "note": f"第{index + 1}项不符合要求" if failed else "",
        }
    inspection_record(inspection=inspection, actor=lead, results=results)
    sign_on_site(inspection, lead)
    issues = inspection_submit(inspection=inspection, actor=lead)
    inspection.refresh_from_db()
    return inspection, issues


def commenting_inspection(institution, lead, **kwargs):
    from inspections.services.inspections import inspection_open_comments

    inspection, issues = submitted_inspection(institution, lead, **kwargs)
    inspection = inspection_open_comments(inspection=inspection, actor=lead)
    return inspection, issues
