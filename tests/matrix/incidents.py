"""Incident pages. World: ``incident_a`` at institution A (county A, placed with by the
station, the institution user's own), ``incident_b`` at institution B (county B),
``station_incident`` at the rescue station, ``alert_county_a``.

Institution users and station staff file reports for their own place (403 for staff in scope
who may not); staff acknowledge and comment, county and city bureaus close; supervisors have no
incident pages (404); an incident outside the user's scope is a 404.
"""

from tests.incidents.factories import local
from tests.matrix import Entry, logged_in

NO_PAGES = {"supervisor": 404}
OUT_A = {"county_b_staff": 404, "supervisor": 404}
READERS_A = logged_in(200, **OUT_A)
# Pages only the reporting institution may use on incident A.
REPORTER_A = logged_in(403, institution_user=200, **OUT_A)
STAFF_WRITE_A = logged_in(302, institution_user=403, **OUT_A)


def a(w):
    return {"pk": w.incident_a.pk}


def b(w):
    return {"pk": w.incident_b.pk}


def at_station(w):
    return {"pk": w.station_incident.pk}


ENTRIES = [
    Entry("incidents:incident_list", logged_in(200, **NO_PAGES)),
    Entry(
        "incidents:incident_create",
        logged_in(403, institution_user=200, station_staff=200, **NO_PAGES),
    ),
    # An empty form is shown again with its errors; nothing is saved.
    Entry(
        "incidents:incident_create",
        logged_in(403, institution_user=200, station_staff=200, **NO_PAGES),
        method="post",
    ),
    Entry("incidents:incident_detail", READERS_A, kwargs=a),
    Entry(
        "incidents:incident_detail",
        logged_in(404, admin=200, city_staff=200, county_b_staff=200),
        kwargs=b,
        label="-county-b",
    ),
    Entry(
        "incidents:incident_detail",
        logged_in(404, admin=200, city_staff=200, station_staff=200),
        kwargs=at_station,
        label="-station",
    ),
    Entry("incidents:incident_followup", REPORTER_A, kwargs=a),
    Entry("incidents:incident_followup", REPORTER_A, kwargs=a, method="post", label="-invalid"),
    Entry("incidents:incident_final", REPORTER_A, kwargs=a),
    Entry("incidents:police_record_add", REPORTER_A, kwargs=a),
    Entry("incidents:casualties_change", REPORTER_A, kwargs=a),
    # Nothing changed (an empty form): shown again with its errors; nothing is saved.
    Entry("incidents:casualties_change", REPORTER_A, kwargs=a, method="post", label="-invalid"),
    # The reporting body or a bureau that may close it; without a reason the service refuses
    # with a message (nothing saved). The placing station receives but does not declare.
    Entry(
        "incidents:incident_declare_over",
        logged_in(302, station_staff=403, **OUT_A),
        kwargs=a,
        method="post",
    ),
    Entry("incidents:incident_declare_over", logged_in(405), kwargs=a, label="-get"),
    Entry("incidents:report_amend", REPORTER_A, kwargs=lambda w: {"pk": w.report_a.pk}),
    Entry("incidents:incident_acknowledge", STAFF_WRITE_A, kwargs=a, method="post"),
    Entry("incidents:incident_acknowledge", logged_in(405), kwargs=a, label="-get"),
    Entry(
        "incidents:incident_comment",
        STAFF_WRITE_A,
        kwargs=a,
        method="post",
        data=lambda w: {"text": "请核实伤者情况"},
    ),
    Entry(
        "incidents:incident_close",
        logged_in(302, institution_user=403, station_staff=403, **OUT_A),
        kwargs=a,
        method="post",
    ),
    Entry("incidents:incident_pdf", READERS_A, kwargs=a),
    # The reporting chain: the county bureau that received the report forwards it to the city,
    # the city to the province (here refused for its state: the city has not received it yet,
    # a message and back to the page); nobody else forwards.
    Entry(
        "incidents:report_forward",
        logged_in(403, county_a_staff=302, city_staff=302, **OUT_A),
        kwargs=a,
        method="post",
        data=lambda w: {"report": w.report_a.pk, "channel": "system"},
    ),
    Entry("incidents:report_forward", logged_in(405), kwargs=a, label="-get"),
    Entry(
        "incidents:report_forward",
        logged_in(404, admin=403, city_staff=302, station_staff=403),
        kwargs=at_station,
        method="post",
        data=lambda w: {
            "report": w.station_incident.reports.get().pk,
            "recipient_name": "省民政厅",
        },
        label="-station",
    ),
    # The reporting body or the county and city bureaus over it record the regulators told.
    Entry(
        "incidents:regulator_report_add",
        logged_in(403, institution_user=302, county_a_staff=302, city_staff=302, **OUT_A),
        kwargs=a,
        method="post",
        data=lambda w: {
            "regulator": "health",
            "authority": "东湖区卫生健康委员会",
            "notified_at": local(w.incident_a.discovered_at),
            "notified_by": "院长 周海涛",
        },
    ),
    Entry("incidents:regulator_report_add", logged_in(405), kwargs=a, label="-get"),
    Entry("incidents:alert_list", logged_in(200, institution_user=403, **NO_PAGES)),
    Entry(
        "incidents:alert_read",
        logged_in(404, county_a_staff=302, admin=403),
        kwargs=lambda w: {"pk": w.alert_county_a.pk},
        method="post",
    ),
    Entry("incidents:rates", logged_in(200, institution_user=403, **NO_PAGES)),
]
