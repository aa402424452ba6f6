"""City-scale data (``manage.py seed_scale``), the registry: institutions named as the city's are
(东湖区新桥镇敬老院, 江海市康宁精神康复中心), their qualification documents with renewals (some
food licences lapsing soon, a few lapsed), custody agreements with the rescue stations in two-year
terms, placements, and one account per institution with its object grant.

Leaves ``world["institutions"]``: a list of :class:`InstitutionFacts` for the later seeders.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from guardian.models import UserObjectPermission

from audit_portal.accounts.models import User
from audit_portal.accounts.scale import CITY, person_name
from audit_portal.core.scale import at, day_between
from audit_portal.core.validators import credit_code_check_character
from inspections.dates import add_years
from inspections.models import (
    CustodyAgreement,
    DocumentKind,
    Institution,
    Placement,
    QualificationDocument,
)
from inspections.scale_texts import BRANDS, ROADS, SUFFIXES, TOWNS
from inspections.services.risk import risk_count

Kind, Status = Institution.Kind, Institution.Status
DAY = datetime.timedelta(days=1)

KIND_WEIGHTS = {
    Kind.SOCIAL_WELFARE: 20,
    Kind.ELDERLY_CARE: 50,
    Kind.PSYCHIATRIC: 15,
    Kind.OTHER: 15,
}
BEDS = {
    Kind.SOCIAL_WELFARE: (100, 400),
    Kind.ELDERLY_CARE: (40, 300),
    Kind.PSYCHIATRIC: (80, 350),
    Kind.OTHER: (30, 150),
}
CATEGORIES = {
    Kind.SOCIAL_WELFARE: (["elderly", "minors", "disabled"], ["elderly", "disabled"]),
    Kind.ELDERLY_CARE: (["elderly"], ["elderly", "disabled"]),
    Kind.PSYCHIATRIC: (["mental_illness"], ["mental_illness", "disabled"]),
    Kind.OTHER: (["elderly", "disabled", "mental_illness"], ["elderly", "disabled"]),
}
ISSUERS = {
    DocumentKind.LEGAL_PERSON: f"{CITY[1]}民政局",
    DocumentKind.SERVICE_QUALIFICATION: f"{CITY[1]}民政局",
    DocumentKind.FIXED_SITE: f"{CITY[1]}自然资源和规划局",
    DocumentKind.FOOD_LICENCE: f"{CITY[1]}市场监督管理局",
    DocumentKind.FIRE_SAFETY: f"{CITY[1]}消防救援支队",
}


@dataclass(slots=True)
class AgreementFacts:
    pk: int
    station: int
    starts: datetime.date
    ends: datetime.date
    places: int
    categories: list[str]
    activated: bool

    def in_force(self, day: datetime.date) -> bool:
        return self.activated and self.starts <= day <= self.ends


@dataclass(slots=True)
class InstitutionFacts:
    pk: int
    name: str
    kind: str
    county: int
    beds: int
    contact: str
    account: int
    # The day it entered the records, and the day it was terminated (if it was).
    registered: datetime.date
    terminated: datetime.date | None
    # Above 1: more findings and incidents than the average institution.
    quality: float
    agreements: list[AgreementFacts] = field(default_factory=list)

    def last_day(self, today: datetime.date) -> datetime.date:
        return min(self.terminated or today, today)

    def agreement_on(self, day: datetime.date) -> AgreementFacts | None:
        return next((a for a in self.agreements if a.in_force(day)), None)


class _Names:
    def __init__(self, rng):
        self.rng, self.used = rng, set()

    def __call__(self, kind: str, county_name: str) -> str:
        rng = self.rng
        for _attempt in range(50):
            suffix = rng.choice(SUFFIXES[kind])
            if rng.random() < 0.6:
                name = f"{county_name}{rng.choice(TOWNS)}{suffix}"
            else:
                place = CITY[1] if rng.random() < 0.4 else county_name
                name = f"{place}{rng.choice(BRANDS)}{suffix}"
            if name not in self.used:
                break
        else:
            name = f"{county_name}第{len(self.used) + 1}{rng.choice(SUFFIXES[kind])}"
        self.used.add(name)
        return name


def _credit_code(county_index: int, serial: int) -> str:
    body = f"523201{county_index:02d}MJ{serial:07d}"
    return body + credit_code_check_character(body)


def seed(world: dict) -> None:
    rng = world["random"]("inspections.registry")
    writer, today, start = world["writer"], world["today"], world["start"]
    names = _Names(rng)
    view = Permission.objects.get(
        codename="view_institution", content_type=ContentType.objects.get_for_model(Institution)
    )
    content_type = ContentType.objects.get_for_model(Institution)
    counties = world["counties"]
    # Some counties hold many more institutions than others.
    weights = [rng.uniform(0.5, 2.0) for _ in counties]
    world["institutions"] = institutions = []
    world["agreement_serial"] = {}
    # Agreement numbers start with the station's prefix: JHZ for the city's, else the county's.
    county_codes = {pk: code.upper() for pk, code, _name in counties}
    world["station_codes"] = {
        station: county_codes.get(parent, "JHZ") for station, parent in world["stations"].items()
    }
    for index in range(world["institutions_wanted"]):
        county_index = 0 if index == 0 else rng.choices(range(len(counties)), weights)[0]
        county, _code, county_name = counties[county_index]
        kind = (
            Kind.ELDERLY_CARE
            if index == 0
            else rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        )
        # Four in five were operating when the records begin; the others joined since.
        if index == 0 or rng.random() < 0.8:
            started = start - datetime.timedelta(days=rng.randint(400, 6000))
            registered = day_between(rng, start, start + datetime.timedelta(days=60))
        else:
            registered = day_between(rng, start, today - datetime.timedelta(days=20))
            started = registered - datetime.timedelta(days=rng.randint(30, 3000))
        status, terminated = Status.APPROVED, None
        draw = 1.0 if index == 0 else rng.random()
        if (today - registered).days < 90 or (today - started).days < 365:
            status = Status.CANDIDATE
        elif draw < 0.04 and (today - registered).days > 500:
            status = Status.TERMINATED
            terminated = day_between(rng, registered + datetime.timedelta(days=400), today)
        elif draw < 0.08:
            status = Status.SUSPENDED
        name = names(kind, county_name)
        low, high = BEDS[kind]
        beds, contact = rng.randint(low, high), person_name(rng)
        pk = writer.add(
            Institution,
            name=name,
            credit_code=_credit_code(county_index, 5790000 + index),
            kind=kind,
            legal_representative=person_name(rng),
            address=f"{CITY[1]}{county_name}{rng.choice(TOWNS)}{rng.choice(ROADS)}"
            f"{rng.randint(1, 899)}号",
            county_id=county,
            bed_capacity=beds,
            operation_started_on=started,
            contact_person=contact,
            contact_phone=f"0512-{rng.randint(60000000, 69999999)}",
            status=status,
            status_changed_at=None
            if status == Status.CANDIDATE
            else at(terminated or registered + datetime.timedelta(days=rng.randint(7, 40)), 15),
            created_at=at(registered, 10, rng.randint(0, 59)),
        )
        username = "institution" if index == 0 else f"inst{index + 1:04d}"
        account = writer.add(
            User,
            username=username,
            password=world["password_hash"],
            full_name=contact,
            role=User.Role.INSTITUTION,
            institution_id=pk,
            email=f"{username}@example.cn",
            date_joined=at(registered, 11),
        )
        writer.add(
            UserObjectPermission,
            permission_id=view.pk,
            user_id=account,
            content_type_id=content_type.pk,
            object_pk=str(pk),
        )
        facts = InstitutionFacts(
            pk=pk,
            name=name,
            kind=kind,
            county=county,
            beds=beds,
            contact=contact,
            account=account,
            registered=registered,
            terminated=terminated,
            quality=min(max(rng.lognormvariate(0, 0.45), 0.3), 3.0),
        )
        institutions.append(facts)
        _documents(world, rng, facts, started)
        if status != Status.CANDIDATE or rng.random() < 0.3:
            _agreements(world, rng, facts, status)
    world["accounts"].append(("institution", f"institution user of {institutions[0].name}"))


def _documents(world: dict, rng, facts: InstitutionFacts, started: datetime.date) -> None:
    writer, today = world["writer"], world["today"]
    reviewer = world["staff"][facts.county][0]
    submitted = max(facts.registered - datetime.timedelta(days=10), started)
    serial = f"{facts.pk:05d}"
    for kind in DocumentKind:
        base = {
            "institution_id": facts.pk,
            "kind": kind,
            "issuer": ISSUERS.get(kind, facts.name),
            "submitted_by_id": facts.account,
        }
        if kind != DocumentKind.FOOD_LICENCE:
            rejected = kind == DocumentKind.FIRE_SAFETY and rng.random() < 0.03
            writer.add(
                QualificationDocument,
                **base,
                number=f"{kind[:2].upper()}{started:%Y}{serial}",
                valid_from=started,
                status="rejected" if rejected else "verified",
                rejection_reason="验收意见书缺少消防部门印章" if rejected else "",
                submitted_at=at(submitted, 10),
                reviewed_by_id=reviewer,
                reviewed_at=at(submitted + datetime.timedelta(days=rng.randint(1, 5)), 15),
            )
            continue
        # Five-year food licences renewed back to back; the last one lapses when drawn:
        # a few have lapsed, some lapse within the warning window, most later.
        draw = rng.random()
        if draw < 0.03:
            until = today - datetime.timedelta(days=rng.randint(1, 150))
        elif draw < 0.10:
            until = today + datetime.timedelta(days=rng.randint(0, 60))
        else:
            until = today + datetime.timedelta(days=rng.randint(61, 1800))
        chain = [until]
        while add_years(chain[-1], -5) + DAY > submitted:
            chain.append(add_years(chain[-1], -5))
        previous = None
        for number, last_day in enumerate(reversed(chain), 1):
            valid_from = add_years(last_day, -5) + DAY
            sent = max(valid_from - datetime.timedelta(days=20), submitted)
            previous = writer.add(
                QualificationDocument,
                **base,
                number=f"JY{valid_from:%Y}{serial}-{number}",
                valid_from=valid_from,
                valid_until=last_day,
                replaces_id=previous,
                status="verified",
                submitted_at=at(min(sent, today), 10),
                reviewed_by_id=reviewer,
                reviewed_at=at(min(sent + datetime.timedelta(days=2), today), 16),
            )
        if until < today and rng.random() < 0.5:
            # The renewal has been sent and waits for verification.
            writer.add(
                QualificationDocument,
                **base,
                number=f"JY{today:%Y}{serial}-R",
                valid_from=until + DAY,
                valid_until=add_years(until, 5),
                replaces_id=previous,
                submitted_at=at(today - datetime.timedelta(days=rng.randint(0, 10)), 9),
            )


def _agreements(world: dict, rng, facts: InstitutionFacts, status: str) -> None:
    writer, today = world["writer"], world["today"]
    station = world["county_station"][facts.county]
    if facts.pk == world["institutions"][0].pk or rng.random() < 0.25:
        station = world["city_station"]
    station_user = world["staff"][station][0]
    categories = list(rng.choice(CATEGORIES[facts.kind]))
    places = max(5, min(facts.beds // 2, rng.randint(10, 80)))
    begins = max(facts.registered + datetime.timedelta(days=rng.randint(20, 60)), world["start"])
    if facts.pk != world["institutions"][0].pk:
        begins -= datetime.timedelta(days=rng.randint(0, 500) if begins == world["start"] else 0)
    end_of_records = facts.terminated or today
    while begins <= end_of_records:
        ends = add_years(begins, 2) - DAY
        draft = status == Status.CANDIDATE
        if facts.terminated and ends > facts.terminated:
            ends = facts.terminated
        serial = world["agreement_serial"].get((station, begins.year), 0) + 1
        world["agreement_serial"][(station, begins.year)] = serial
        if ends < today:
            state = CustodyAgreement.Status.ENDED
        elif draft:
            state = CustodyAgreement.Status.DRAFT
        elif status == Status.SUSPENDED:
            state = CustodyAgreement.Status.SUSPENDED
        else:
            state = CustodyAgreement.Status.ACTIVE
        code = world["station_codes"][station]
        pk = writer.add(
            CustodyAgreement,
            number=f"{code}-{begins.year}-{serial:03d}",
            station_id=station,
            institution_id=facts.pk,
            starts_on=begins,
            ends_on=ends,
            agreed_places=places,
            categories=categories,
            fee_basis=f"每人每月 {rng.choice((2400, 2600, 2800, 3000, 3200))} 元（含医疗）",
            status=state,
            activated_at=None if draft else at(begins - DAY, 15),
            activated_by_id=None if draft else station_user,
            created_at=at(begins - datetime.timedelta(days=10), 10),
        )
        facts.agreements.append(
            AgreementFacts(pk, station, begins, ends, places, categories, not draft)
        )
        for _ in range(0 if draft else rng.randint(1, 3)):
            placed = day_between(rng, begins, min(ends, today))
            writer.add(
                Placement,
                agreement_id=pk,
                starts_on=placed,
                people=rng.randint(1, max(1, places // 3)),
                category=rng.choice(categories),
                created_by_id=station_user,
                created_at=at(placed, 14),
            )
        # Now and then a gap of a few months before the next agreement is signed.
        gap = 90 if rng.random() < 0.05 else 0
        begins = ends + datetime.timedelta(days=1 + gap)


def count_risk(world: dict) -> None:
    """The risk dashboard's stored figures as the daily count leaves them: the rows above were
    written without the signals that mark an institution's figures out of date."""
    world["writer"].progress.tick(risk_count(on=world["today"]))
