"""Supervisor scheme pages. World: the supervisor persona's record (term running, undertaking
accepted, leader of ``group``, which has no open assignment), a candidate's procedure at the
nomination stage, a complaint forwarded by the persona.

The city bureau and administrators run the scheme; county bureaus read the roster and the group
list of their county (403 on writes, 404 on supervisors working elsewhere); stations,
institutions and supervisors get 404 on staff pages; only the supervisor has "me" pages.
"""

from tests.matrix import Entry, logged_in

OUTSIDERS = {"station_staff": 404, "supervisor": 404, "institution_user": 404}
# County bureaus: a read-only role on the scheme, but these objects are outside their county.
COUNTY_OUT = {"county_a_staff": 404, "county_b_staff": 404}
COUNTY_RO = {"county_a_staff": 403, "county_b_staff": 403}
ONLY_SUPERVISOR = logged_in(404, supervisor=200)


def record(w):
    return {"pk": w.supervisor_record.pk}


def appointment(w):
    return {"pk": w.appointment.pk}


def group(w):
    return {"pk": w.group.pk}


def term(w):
    return {"pk": w.supervisor_term.pk}


def reason(w):
    return {"reason": "调整监督安排"}


def step(name, data=lambda w: {}, **overrides):
    return Entry(
        f"supervisors:{name}",
        logged_in(302, **OUTSIDERS, **COUNTY_RO, **overrides),
        kwargs=appointment,
        method="post",
        data=data,
    )


ENTRIES = [
    Entry("supervisors:supervisor_list", logged_in(200, **OUTSIDERS)),
    Entry("supervisors:supervisor_create", logged_in(200, **OUTSIDERS, **COUNTY_RO)),
    Entry(
        "supervisors:supervisor_detail", logged_in(200, **OUTSIDERS, **COUNTY_OUT), kwargs=record
    ),
    Entry(
        "supervisors:supervisor_id_number",
        logged_in(200, **OUTSIDERS, **COUNTY_OUT),
        kwargs=record,
        method="post",
    ),
    Entry("supervisors:appointment_list", logged_in(200, **OUTSIDERS, **COUNTY_RO)),
    Entry("supervisors:appointment_nominate", logged_in(200, **OUTSIDERS, **COUNTY_RO)),
    Entry(
        "supervisors:appointment_detail",
        logged_in(200, **OUTSIDERS, **COUNTY_RO),
        kwargs=appointment,
    ),
    step("appointment_vet"),
    step("appointment_decide", lambda w: {"meeting_date": "2020-01-01", "minutes_reference": "x"}),
    step("appointment_file"),
    step("appointment_turn_down", reason),
    step("appointment_override", reason, city_staff=403),
    Entry("supervisors:term_letter", logged_in(200, **OUTSIDERS, **COUNTY_RO), kwargs=term),
    Entry(
        "supervisors:term_end",
        logged_in(302, **OUTSIDERS, **COUNTY_RO),
        kwargs=term,
        method="post",
        data=lambda w: {"kind": "resignation", "on": "2000-01-01", "reason": "辞职"},
    ),
    Entry("supervisors:group_list", logged_in(200, **OUTSIDERS)),
    Entry("supervisors:group_detail", logged_in(200, **OUTSIDERS, **COUNTY_OUT), kwargs=group),
    Entry(
        "supervisors:group_member_add",
        logged_in(302, **OUTSIDERS, **COUNTY_OUT),
        kwargs=group,
        method="post",
        data=lambda w: {"supervisor": w.candidate.pk, "role": "member"},
    ),
    Entry(
        "supervisors:group_activate",
        logged_in(302, **OUTSIDERS, **COUNTY_OUT),
        kwargs=group,
        method="post",
    ),
    Entry(
        "supervisors:group_assign",
        logged_in(302, **OUTSIDERS, **COUNTY_OUT),
        kwargs=group,
        method="post",
        data=lambda w: {"institution": w.institution_a.pk},
    ),
    Entry(
        "supervisors:group_member_remove",
        logged_in(302, **OUTSIDERS, **COUNTY_OUT),
        kwargs=lambda w: {"pk": w.group.current_memberships().last().pk},
        method="post",
        data=reason,
    ),
    Entry(
        "supervisors:assignment_end",
        logged_in(302, **OUTSIDERS, **COUNTY_OUT),
        kwargs=lambda w: {"pk": w.ended_assignment.pk},
        method="post",
        data=reason,
    ),
    Entry("supervisors:complaint_list", logged_in(200, **OUTSIDERS, **COUNTY_RO)),
    Entry(
        "supervisors:complaint_update",
        logged_in(302, **OUTSIDERS, **COUNTY_RO),
        kwargs=lambda w: {"pk": w.complaint.pk},
        method="post",
        data=lambda w: {"status": "handling", "note": "已转机构核查"},
    ),
    Entry("supervisors:event_create", logged_in(200, **OUTSIDERS, **COUNTY_RO)),
    Entry("supervisors:my_record", ONLY_SUPERVISOR),
    Entry("supervisors:undertaking", ONLY_SUPERVISOR),
    # Institution A is not assigned to the supervisor's group: 404 for everyone.
    Entry(
        "supervisors:my_institution",
        logged_in(404),
        kwargs=lambda w: {"pk": w.institution_a.pk},
    ),
    Entry("supervisors:complaint_create", ONLY_SUPERVISOR),
    Entry("supervisors:suggestion_create", ONLY_SUPERVISOR),
]
