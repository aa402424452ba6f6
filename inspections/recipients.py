"""Who is told about an institution's duties, by role and scope, and nobody else: the
institution's own accounts, the staff of the bodies answering for it (its county bureau, the
city bureau above that county, the rescue stations placing residents with it) and the
supervisors working there. The daily reminders ask for many institutions at once, so each
question is answered in a fixed number of queries, however many institutions.

The scope follows the selectors (``institutions_for``): a county bureau answers for the
institutions of its county, the city bureau for those of its counties, a station for those it
has an agreement with; supervisors for those their group is assigned to, during their term.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from audit_portal.accounts.models import Organisation, User
from inspections import hooks
from inspections.models import CustodyAgreement, Inspection, Institution, Issue

# One institution, one event (the services' notifications, ``<app>/events.py``) -------------------


def others(users, actor: User | None):
    """``users`` without the one who acted (nobody is told of their own act)."""
    if actor is None:
        return users
    if isinstance(users, QuerySet):
        return users.exclude(pk=actor.pk)
    return [user for user in users if user.pk != actor.pk]


def institution_accounts(institution: Institution) -> QuerySet[User]:
    """The institution's own active accounts."""
    return User.objects.filter(
        is_active=True, role=User.Role.INSTITUTION, institution_id=institution.pk
    )


def organisation_staff(organisation_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role=User.Role.STAFF, organisation_id__in=list(organisation_ids)
    )


def city_staff() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role=User.Role.STAFF, organisation__kind=Organisation.Kind.CITY
    )


def administrators() -> QuerySet[User]:
    return User.objects.filter(is_active=True).filter(
        Q(role=User.Role.ADMIN) | Q(is_superuser=True)
    )


def assigned_supervisors(institution: Institution) -> QuerySet[User]:
    """The supervisors working at the institution today."""
    return hooks.assigned_supervisor_users(institution)


def group_supervisors(group_ids: Iterable[int]) -> QuerySet[User]:
    """The current members of the given supervision groups."""
    return hooks.group_supervisor_users(group_ids)


def institution_staff(institution: Institution) -> QuerySet[User]:
    """Staff whose scope holds the institution: its county bureau, the city bureau above it,
    the stations with an agreement with it (``institutions_for``)."""
    stations = CustodyAgreement.objects.filter(institution_id=institution.pk).values("station_id")
    return User.objects.filter(is_active=True, role=User.Role.STAFF).filter(
        Q(organisation_id=institution.county_id)
        | Q(organisation_id=institution.county.parent_id)
        | Q(organisation_id__in=stations)
    )


def county_staff(institution: Institution) -> QuerySet[User]:
    """The staff of the county bureau the institution belongs to."""
    return organisation_staff([institution.county_id])


def _inspectors(issue) -> QuerySet[User]:
    """Whoever raised the issue and the lead and team of the inspection that raised it."""
    found = Q(pk=issue.raised_by_id)
    if issue.inspection_id:
        found |= Q(led_inspections=issue.inspection_id) | Q(inspections=issue.inspection_id)
    return User.objects.filter(found, is_active=True)


def issue_verifiers(issue, *, staff_only: bool = False) -> QuerySet[User]:
    """Who must verify the institution's answer to an issue: the staff of its county bureau,
    and whoever raised it or inspected with the team while the institution is in their scope
    (the city bureau or a station placing there; a supervisor working there today). Not the
    whole city: a city or station account hears of the issues it found itself.
    ``staff_only``: who decides an extension (supervisors do not). ``issues_to_verify`` is
    the same rule from the other side, for the to-do inbox."""
    institution = issue.institution
    inspectors = _inspectors(issue).values("pk")
    people = county_staff(institution) | institution_staff(institution).filter(pk__in=inspectors)
    if not staff_only:
        people = people | assigned_supervisors(institution).filter(pk__in=inspectors)
    return people.distinct()


def issues_to_verify(user: User) -> QuerySet:
    """The ids of the issues ``user`` is among the verifiers of (``issue_verifiers``, from the
    other side, for the to-do inbox); the caller keeps to the user's scope (``issues_for``)."""
    ids = Issue.objects.order_by().values("pk")
    if user.is_civil_affairs_staff and user.organisation_kind == Organisation.Kind.COUNTY:
        return ids.filter(institution__county_id=user.organisation_id)
    # Three index lookups joined, not one condition with ORs: the database cannot use an index
    # for "raised by me or on an inspection I was on" and would read every issue of the city.
    return ids.filter(raised_by_id=user.pk).union(
        ids.filter(inspection__lead_id=user.pk), ids.filter(inspection__team=user.pk)
    )


# Many institutions at once (the daily reminders) -------------------------------------------------

# Who answers for an institution, by part: its accounts, county staff, city staff, the staff of
# the stations placing with it.
ACCOUNTS, COUNTY, CITY, STATIONS = "accounts", "county", "city", "stations"


@dataclass(frozen=True)
class Responsible:
    """The people answering for each of some institutions (keyed by institution id)."""

    parts: dict[str, dict[int, list[User]]]

    def of(self, institution_id: int, *parts: str) -> list[User]:
        """The people of ``parts`` for one institution, each once."""
        people: dict[int, User] = {}
        for part in parts:
            for user in self.parts[part].get(institution_id, ()):
                people.setdefault(user.pk, user)
        return list(people.values())


def placing_stations(
    institution_ids: Iterable[int], first: datetime.date, last: datetime.date
) -> dict[int, set[int]]:
    """The stations with an active agreement in force for some day of ``first``..``last``,
    per institution (谁送托、谁负责: the station that places answers for the institution)."""
    stations: dict[int, set[int]] = defaultdict(set)
    for institution_id, station_id in CustodyAgreement.objects.filter(
        institution_id__in=list(institution_ids),
        status=CustodyAgreement.Status.ACTIVE,
        starts_on__lte=last,
        ends_on__gte=first,
    ).values_list("institution_id", "station_id"):
        stations[institution_id].add(station_id)
    return stations


def responsible_for(
    institution_ids: Iterable[int], first: datetime.date, last: datetime.date | None = None
) -> Responsible:
    """Everyone answering for each institution, in three queries: the institutions' bureaus,
    the placing stations (agreements in force between ``first`` and ``last``) and the people."""
    ids = set(institution_ids)
    bureaus = {
        pk: (county_id, city_id)
        for pk, county_id, city_id in Institution.objects.filter(pk__in=ids).values_list(
            "pk", "county_id", "county__parent_id"
        )
    }
    stations = placing_stations(ids, first, last or first)
    organisation_ids = {org for pair in bureaus.values() for org in pair} | {
        station for found in stations.values() for station in found
    }
    parts: dict[str, dict[int, list[User]]] = {
        ACCOUNTS: defaultdict(list),
        COUNTY: {},
        CITY: {},
        STATIONS: defaultdict(list),
    }
    staff: dict[int, list[User]] = defaultdict(list)
    people = User.objects.filter(is_active=True).filter(
        Q(role=User.Role.INSTITUTION, institution_id__in=ids)
        | Q(role=User.Role.STAFF, organisation_id__in=organisation_ids)
    )
    for user in people.order_by("pk"):
        if user.role == User.Role.INSTITUTION:
            parts[ACCOUNTS][user.institution_id].append(user)
        else:
            staff[user.organisation_id].append(user)
    for pk, (county_id, city_id) in bureaus.items():
        parts[COUNTY][pk] = staff.get(county_id, [])
        parts[CITY][pk] = staff.get(city_id, [])
        for station_id in sorted(stations.get(pk, ())):
            parts[STATIONS][pk].extend(staff.get(station_id, []))
    return Responsible(parts)


def institution_accounts_of(institution_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active accounts of each institution, in one query."""
    accounts: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        is_active=True, role=User.Role.INSTITUTION, institution_id__in=set(institution_ids)
    ).order_by("pk"):
        accounts[user.institution_id].append(user)
    return accounts


def staff_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active staff of each organisation, in one query."""
    staff: dict[int, list[User]] = defaultdict(list)
    for user in organisation_staff(set(organisation_ids)).order_by("pk"):
        staff[user.organisation_id].append(user)
    return staff


def teams_in_scope(inspections: list[Inspection], on: datetime.date) -> dict[int, list[User]]:
    """The lead and team of each inspection who still answer for its institution on ``on``:
    staff of its county bureau, of the city bureau or of a station with an agreement with it
    (who may be put on its team, ``team_candidates``), the supervisors working there, and
    administrators. Someone moved to another body, or a supervisor whose term or assignment
    ended, is not told. Four queries, however many inspections."""
    if not inspections:
        return {}
    ids = [inspection.pk for inspection in inspections]
    institution_ids = {inspection.institution_id for inspection in inspections}
    members: dict[int, set[int]] = defaultdict(set)
    for inspection in inspections:
        members[inspection.pk].add(inspection.lead_id)
    for inspection_id, user_id in Inspection.team.through.objects.filter(
        inspection_id__in=ids
    ).values_list("inspection_id", "user_id"):
        members[inspection_id].add(user_id)
    users = User.objects.in_bulk({pk for found in members.values() for pk in found})
    stations: dict[int, set[int]] = defaultdict(set)
    for institution_id, station_id in CustodyAgreement.objects.filter(
        institution_id__in=institution_ids
    ).values_list("institution_id", "station_id"):
        stations[institution_id].add(station_id)
    supervisors = hooks.supervisors_working_at(institution_ids, on)
    teams: dict[int, list[User]] = {}
    for inspection in inspections:
        institution = inspection.institution
        bodies = {institution.county_id, institution.county.parent_id}
        bodies |= stations[institution.pk]
        team = []
        for pk in sorted(members[inspection.pk]):
            user = users.get(pk)
            if user is None or not user.is_active:
                continue
            if (
                user.is_admin
                or (user.is_civil_affairs_staff and user.organisation_id in bodies)
                or (user.is_supervisor and pk in supervisors.get(institution.pk, ()))
            ):
                team.append(user)
        teams[inspection.pk] = team
    return teams
