"""City-scale data (``manage.py seed_scale``): the organisation tree of one city — the city
bureau, its county and district bureaus, a rescue station for the city and one per county — and
the staff accounts of each, all with one known password. Also the Chinese names every seeder
draws people from.

Writes go through ``world["writer"]`` (``audit_portal.core.scale.BulkWriter``); what later
seeders need is left in ``world``:

- ``city``: the city bureau's pk; ``counties``: [(pk, code, name)]; ``stations``: {pk: parent pk},
  ``county_station``: {county pk: station pk}, ``city_station``: pk;
- ``staff``: {organisation pk: [user pk, ...]} (the first is the named account), ``admin``;
- ``password_hash``: the hashed known password, for every account the seeders create.
"""

import math
import random

from django.contrib.auth.hashers import make_password

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.scale import at

SCALE_PASSWORD = "Scale#2026"  # noqa: S105 - printed on purpose: generated data only
CITY = ("jianghai", "江海市")

# Counties and districts of the city (code, name), in the order they are used.
DISTRICTS = [
    ("donghu", "东湖区"),
    ("xishan", "西山县"),
    ("jiangbei", "江北区"),
    ("chengnan", "城南区"),
    ("gulou", "鼓楼区"),
    ("linjiang", "临江区"),
    ("gaoxin", "高新区"),
    ("binhai", "滨海新区"),
    ("qingshan", "青山区"),
    ("baiyun", "白云县"),
    ("qinghe", "清河县"),
    ("fenghuang", "凤凰县"),
    ("pingan", "平安县"),
    ("wangjiang", "望江县"),
    ("taoyuan", "桃源县"),
    ("longquan", "龙泉市"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕鹏辉宇浩凯晨欣怡佳琳"
    "雪梅春晓颖婷倩慧丹云峰亮林波宁健飞鑫彬瑞霖博涵轩萱思雨诗嘉立新德福顺荣永"
)


def person_name(rng: random.Random) -> str:
    """A Chinese full name: a surname and one or two given characters."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def county_count(institutions: int) -> int:
    """Counties grow more slowly than institutions: 2 at a handful, 4 at 50, 13 at 500."""
    return max(2, min(len(DISTRICTS), round(math.sqrt(institutions) / 1.7)))


def _user(world: dict, username: str, role: str, organisation: int | None, **fields) -> int:
    rng = world["rng_accounts"]
    full_name = fields.pop("full_name", None) or person_name(rng)
    pk = world["writer"].add(
        User,
        username=username,
        password=world["password_hash"],
        full_name=full_name,
        role=role,
        organisation_id=organisation,
        email=f"{username}@{CITY[0]}.gov.cn",
        phone=f"0512-{rng.randint(60000000, 69999999)}",
        is_staff=role == User.Role.ADMIN,
        is_superuser=role == User.Role.ADMIN,
        date_joined=at(world["start"], 9),
        **fields,
    )
    if organisation is not None:
        world["staff"].setdefault(organisation, []).append(pk)
    return pk


def _organisation(world: dict, code: str, name: str, kind: str, parent: int | None) -> int:
    rng = world["rng_accounts"]
    return world["writer"].add(
        Organisation,
        code=code,
        name=name,
        kind=kind,
        parent_id=parent,
        address=f"{CITY[1]}{name.removeprefix(CITY[1])[:3]}人民路{rng.randint(1, 300)}号",
        phone=f"0512-{rng.randint(60000000, 69999999)}",
        email=f"{code}@{CITY[0]}.gov.cn",
    )


def seed(world: dict) -> None:
    world["rng_accounts"] = world["random"]("accounts")
    # One hash for every account: hashing each would take most of the seeding time.
    world["password_hash"] = make_password(SCALE_PASSWORD)
    world["staff"] = {}
    size = world["institutions_wanted"]
    Kind, Role = Organisation.Kind, User.Role

    world["admin"] = _user(world, "admin", Role.ADMIN, None, full_name="系统管理员")
    city = world["city"] = _organisation(world, CITY[0], f"{CITY[1]}民政局", Kind.CITY, None)
    _user(world, "city", Role.STAFF, city, full_name="王建国")
    # A second city account: the open-day summary needs an approver who did not draft it.
    _user(world, "city2", Role.STAFF, city, full_name="周红")
    for n in range(3, 3 + size // 100):
        _user(world, f"city{n}", Role.STAFF, city)

    world["counties"], world["stations"], world["county_station"] = [], {}, {}
    station = world["city_station"] = _organisation(
        world, f"{CITY[0]}-station", f"{CITY[1]}救助管理站", Kind.STATION, city
    )
    world["stations"][station] = city
    _user(world, "station", Role.STAFF, station, full_name="陈静")
    per_county = size / county_count(size)
    for code, name in DISTRICTS[: county_count(size)]:
        county = _organisation(world, code, f"{name}民政局", Kind.COUNTY, city)
        world["counties"].append((county, code, name))
        for n in range(1, 2 + round(per_county / 25)):
            _user(world, code if n == 1 else f"{code}{n}", Role.STAFF, county)
        station = _organisation(world, f"{code}-station", f"{name}救助管理站", Kind.STATION, county)
        world["stations"][station] = county
        world["county_station"][county] = station
        _user(world, f"{code}-station", Role.STAFF, station)
    accounts = world.setdefault("accounts", [])
    accounts += [
        ("admin", "system administrator"),
        ("city", f"city bureau staff ({len(world['staff'][city])} city accounts: city, city2…)"),
        (world["counties"][0][1], "county bureau staff (one account per county code, e.g.)"),
        ("station", "city rescue station staff (county stations: <county>-station)"),
    ]
