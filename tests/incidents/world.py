"""Incidents in the shared test world.

- ``incident_a``: an injury at institution A (the institution user's own), initial report only,
  open; alerts to county A and the station.
- ``incident_b``: an injury at institution B (county B), filed by B's own account.
- ``station_incident``: an injury at the rescue station itself, filed by its staff.
- ``alert_county_a``: county A's alert for ``incident_a``.
"""

from tests.incidents.factories import file_incident


def extend(world) -> None:
    a = file_incident(world.institution_a, actor=world.users["institution_user"])
    b = file_incident(world.institution_b)
    at_station = file_incident(station=world.station, actor=world.users["station_staff"])
    world.extra.update(
        incident_a=a,
        report_a=a.reports.get(),
        incident_b=b,
        station_incident=at_station,
        alert_county_a=a.alerts.get(recipient=world.county_a),
    )
