"""The shared test world: organisations and one user per persona.

Later capabilities add their objects here (institutions in each county, a placement by the
station, an assigned supervisor...), so every permission test speaks about the same world.
"""

import importlib
import importlib.util
from dataclasses import dataclass, field

from audit_portal.accounts.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory
from tests.shared_state import fresh_copy

PERSONAS = (
    "anonymous",
    "admin",
    "city_staff",
    "county_a_staff",
    "county_b_staff",
    "station_staff",
    "supervisor",
    "institution_user",
)


@dataclass
class World:
    city: Organisation
    county_a: Organisation
    county_b: Organisation
    station: Organisation
    users: dict[str, User | None]
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        # Called only for a name the instance does not hold: an extension's object in ``extra``,
        # or, on a lazy copy, a value not copied yet.
        lazy = self.__dict__.get("_lazy")
        if lazy is not None:
            source, memo = lazy
            if name in source.__dict__ and not name.startswith("_"):
                value = self.__dict__[name] = fresh_copy(source.__dict__[name], memo)
                return value
            if "extra" not in self.__dict__:
                if name not in source.extra:
                    raise AttributeError(name)
                items = self.__dict__.setdefault("_items", {})
                if name not in items:
                    items[name] = fresh_copy(source.extra[name], memo)
                return items[name]
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None

    def lazy_copy(self) -> "World":
        """A copy whose values are copied when a test first reads them (a test reads a few of
        the world's objects; copying all of them was a sixth of a permission-matrix case). One
        memo for the whole copy: an object reached twice is the same copy both times."""
        copy = World.__new__(World)
        copy.__dict__["_lazy"] = (self, {})
        return copy


def build_world() -> World:
    city = OrganisationFactory(name="江海市民政局", code="city", kind=Organisation.Kind.CITY)
    county_a = OrganisationFactory(
        name="东湖区民政局", code="county-a", kind=Organisation.Kind.COUNTY, parent=city
    )
    county_b = OrganisationFactory(
        name="西山县民政局", code="county-b", kind=Organisation.Kind.COUNTY, parent=city
    )
    station = OrganisationFactory(
        name="江海市救助管理站", code="station", kind=Organisation.Kind.STATION, parent=city
    )
    users = {
        "anonymous": None,
        "admin": UserFactory(
            username="admin",
            role=User.Role.ADMIN,
            organisation=None,
            is_staff=True,
            is_superuser=True,
        ),
        "city_staff": UserFactory(username="city", organisation=city),
        "county_a_staff": UserFactory(username="county_a", organisation=county_a),
        "county_b_staff": UserFactory(username="county_b", organisation=county_b),
        "station_staff": UserFactory(username="station", organisation=station),
        "supervisor": UserFactory(
            username="supervisor", role=User.Role.SUPERVISOR, organisation=None
        ),
        "institution_user": UserFactory(
            username="institution", role=User.Role.INSTITUTION, organisation=None
        ),
    }
    world = World(city=city, county_a=county_a, county_b=county_b, station=station, users=users)
    for extend in WORLD_EXTENSIONS:
        extend(world)
    return world


def _extensions() -> list:
    """Each capability's ``tests/<app>/world.py`` may define ``extend(world)``."""
    extensions = []
    for app in (
        "core",
        "notices",
        "inspections",
        "residents",
        "supervisors",
        "incidents",
        "openday",
        "api",
    ):
        module_name = f"tests.{app}.world"
        if importlib.util.find_spec(f"tests.{app}") and importlib.util.find_spec(module_name):
            module = importlib.import_module(module_name)
            extensions.extend(getattr(module, "EXTENSIONS", [module.extend]))
    return extensions


# Functions that add a capability's objects to the world, in dependency order.
WORLD_EXTENSIONS: list = _extensions()
