"""Demo institutions: eligible ones, one whose food licence lapses soon, one too new, one with a
rejected document; agreements with the demo station; the demo institution account."""

import datetime
import io

from django.utils import timezone
from pypdf import PdfWriter

from audit_portal.accounts.demo import DEMO_PASSWORD
from audit_portal.accounts.models import User
from audit_portal.core.validators import credit_code_check_character
from inspections.models import DocumentKind, Institution
from inspections.services import registry as services

Role = User.Role


def _demo_scan() -> bytes:
    """A blank A4 page: demo documents need a file, not a real scan."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


DEMO_SCAN = _demo_scan()

ISSUERS = {
    DocumentKind.LEGAL_PERSON: "江海市民政局",
    DocumentKind.SERVICE_QUALIFICATION: "江海市民政局",
    DocumentKind.FIXED_SITE: "江海市自然资源和规划局",
    DocumentKind.FOOD_LICENCE: "江海市市场监督管理局",
    DocumentKind.FIRE_SAFETY: "江海市消防救援支队",
}


def _code(serial: str) -> str:
    body = f"52320100MJ{serial}"
    return body + credit_code_check_character(body)


def institution_account(institution: Institution, username: str, full_name: str) -> User:
    """The institution's (first) own account, opened for the demo if it has none."""
    account = institution.accounts.filter(role=Role.INSTITUTION, is_active=True).first()
    if account is not None:
        return account
    return services.institution_account_create(
        institution=institution,
        username=username,
        full_name=full_name,
        password=DEMO_PASSWORD,
        actor=None,
    )


def seed(world: dict) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = timezone.localdate()
    staff = {"donghu": world["user_donghu"], "xishan": world["user_xishan"]}
    station_user = world["user_station"]
    specs = [
        # name, serial, county, kind, beds, started, food licence until, problem
        (
            "东湖区社会福利院",
            "5790001",
            "donghu",
            "social_welfare",
            220,
            datetime.date(2012, 3, 1),
            today + datetime.timedelta(days=400),
            None,
        ),
        (
            "江海康宁精神康复医院",
            "5790002",
            "donghu",
            "psychiatric",
            150,
            datetime.date(2016, 9, 15),
            today + datetime.timedelta(days=21),
            None,
        ),
        (
            "西山县颐养院",
            "5790003",
            "xishan",
            "elderly_care",
            90,
            datetime.date(2018, 5, 20),
            today + datetime.timedelta(days=50),
            None,
        ),
        (
            "西山县安心托养中心",
            "5790004",
            "xishan",
            "other",
            60,
            today - datetime.timedelta(days=300),
            today + datetime.timedelta(days=700),
            None,
        ),
        (
            "东湖区康乐老年公寓",
            "5790005",
            "donghu",
            "elderly_care",
            80,
            datetime.date(2019, 1, 10),
            today + datetime.timedelta(days=500),
            "fire",
        ),
    ]
    district = {"donghu": "东湖区", "xishan": "西山县"}
    institutions = []
    for name, serial, county_key, kind, beds, started, food_until, problem in specs:
        existing = Institution.objects.filter(credit_code=_code(serial)).first()
        if existing:
            institutions.append(existing)
            continue
        actor = staff[county_key]
        institution = services.institution_create(
            actor=actor,
            name=name,
            credit_code=_code(serial),
            kind=kind,
            legal_representative={"donghu": "周海涛", "xishan": "吴秀英"}[county_key],
            address=f"江海市{district[county_key]}{name[-4:]}路{serial[-2:]}号",
            county=world["county_a"] if county_key == "donghu" else world["county_b"],
            bed_capacity=beds,
            operation_started_on=started,
            contact_person="郑文",
            contact_phone=f"0512-6{serial}",
            # 定点联系: the county bureau's staff member who follows it.
            designated_contact=actor,
        )
        for kind_value in DocumentKind:
            until = food_until if kind_value == DocumentKind.FOOD_LICENCE else None
            document = services.document_submit(
                institution=institution,
                kind=kind_value,
                number=f"{serial}-{kind_value[:4].upper()}",
                issuer=ISSUERS.get(kind_value, name),
                valid_from=max(started, datetime.date(2020, 1, 1)),
                valid_until=until,
                scans=[SimpleUploadedFile(f"{kind_value}.pdf", DEMO_SCAN, "application/pdf")],
                actor=world["user_city"],
            )
            if problem == "fire" and kind_value == DocumentKind.FIRE_SAFETY:
                services.document_reject(
                    document=document, actor=actor, reason="验收意见书缺少消防部门印章"
                )
            else:
                services.document_verify(document=document, actor=actor)
        if institution.eligibility(today).eligible:
            services.institution_change_status(
                institution=institution,
                status=Institution.Status.APPROVED,
                actor=actor,
                reason="资质审核通过",
            )
        institutions.append(institution)

    welfare, psychiatric, yiyang = institutions[0], institutions[1], institutions[2]
    for number, institution, places, categories in [
        ("JHZ-2025-001", welfare, 40, ["elderly", "disabled"]),
        ("JHZ-2025-002", psychiatric, 25, ["mental_illness"]),
        ("JHZ-2025-003", yiyang, 15, ["elderly"]),
    ]:
        agreement = institution.agreements.filter(number=number).first()
        if agreement is None:
            agreement = services.agreement_create(
                station=world["station"],
                institution=institution,
                number=number,
                starts_on=datetime.date(today.year, 1, 1),
                ends_on=datetime.date(today.year + 1, 12, 31),
                agreed_places=places,
                categories=categories,
                fee_basis="每人每月 2800 元（含医疗）",
                actor=station_user,
            )
            agreement = services.agreement_activate(agreement=agreement, actor=station_user)
            services.placement_start(
                agreement=agreement,
                starts_on=datetime.date(today.year, 1, 15),
                people=places // 2,
                category=categories[0],
                actor=station_user,
            )

    account = world["user_institution"]
    if account.institution_id is None:
        services.institution_account_bind(user=account, institution=welfare, actor=None)
    world["institutions"] = institutions
    world["accounts"] = [
        (
            username,
            f"{Role.INSTITUTION.label} · {welfare}" if username == "institution" else description,
        )
        for username, description in world.get("accounts", [])
    ]
