"""Demo organisations and one account per role (see ``manage.py seed_demo``)."""

from django.utils.translation import gettext as _

from audit_portal.accounts.models import Organisation, User
from audit_portal.accounts.services import organisation_create, user_create

DEMO_PASSWORD = "Demo#2026"  # noqa: S105 - printed on purpose: demo data only


def _organisation(code: str, **fields) -> Organisation:
    existing = Organisation.objects.filter(code=code).first()
    return existing or organisation_create(code=code, actor=None, **fields)


def _user(username: str, **fields) -> User:
    existing = User.objects.filter(username=username).first()
    return existing or user_create(username=username, password=DEMO_PASSWORD, actor=None, **fields)


def seed(world: dict) -> None:
    city = _organisation("jianghai", name="江海市民政局", kind=Organisation.Kind.CITY)
    county_a = _organisation(
        "donghu", name="东湖区民政局", kind=Organisation.Kind.COUNTY, parent=city
    )
    county_b = _organisation(
        "xishan", name="西山县民政局", kind=Organisation.Kind.COUNTY, parent=city
    )
    station = _organisation(
        "jianghai-station", name="江海市救助管理站", kind=Organisation.Kind.STATION, parent=city
    )
    world.update(city=city, county_a=county_a, county_b=county_b, station=station)

    accounts = [
        ("admin", "系统管理员", User.Role.ADMIN, None),
        ("city", "王建国", User.Role.STAFF, city),
        ("donghu", "李敏", User.Role.STAFF, county_a),
        ("xishan", "赵磊", User.Role.STAFF, county_b),
        ("station", "陈静", User.Role.STAFF, station),
        ("supervisor", "刘志强", User.Role.SUPERVISOR, None),
        ("institution", "孙丽华", User.Role.INSTITUTION, None),
    ]
    for username, full_name, role, organisation in accounts:
        world[f"user_{username}"] = _user(
            username, full_name=full_name, role=role, organisation=organisation
        )
    world.setdefault("accounts", []).extend(
        (username, _("%(role)s · %(org)s") % {"role": User.Role(role).label, "org": org or "—"})
        for username, _name, role, org in accounts
    )
