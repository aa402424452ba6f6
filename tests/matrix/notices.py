from audit_portal.notices.kinds import Kind, default_mode
from tests.matrix import Entry, expect, logged_in


def notification(w):
    return {"pk": w.notification.pk}


def city(w):
    return {"pk": w.city.pk}


# The administrators set the organisations' robots: 403 for every other role.
ADMIN_ONLY = logged_in(403, admin=200)
STAFF_AND_ADMIN = logged_in(
    403,
    admin=200,
    **dict.fromkeys(("city_staff", "county_a_staff", "county_b_staff", "station_staff"), 200),
)

ENTRIES = [
    Entry("notices:list", logged_in(200)),
    Entry("notices:list", logged_in(200), query="?show=unread", label="-unread"),
    # A notification is its recipient's alone (county A staff here): 404 for everyone else.
    Entry("notices:read", logged_in(404, county_a_staff=302), kwargs=notification, method="post"),
    Entry("notices:read", logged_in(405), kwargs=notification, label="-get"),
    Entry("notices:read_all", logged_in(302), method="post"),
    Entry("notices:read_all", logged_in(405), label="-get"),
    Entry("notices:todo", logged_in(200)),
    Entry("notices:preferences", logged_in(200)),
    Entry(
        "notices:preferences",
        logged_in(302),
        method="post",
        data=lambda w: {kind.value: default_mode(kind) for kind in Kind},
    ),
    Entry("notices:calendar", logged_in(200)),
    # The new address is shown on the answer itself, once.
    Entry("notices:calendar", logged_in(200), method="post"),
    Entry("notices:robots", ADMIN_ONLY),
    Entry("notices:robot_edit", ADMIN_ONLY, kwargs=city),
    Entry("notices:robot_remove", logged_in(403, admin=302), kwargs=city, method="post"),
    Entry("notices:robot_remove", logged_in(405), kwargs=city, label="-get"),
    # The city has no robot: the administrator is sent back with the reason.
    Entry("notices:robot_test", logged_in(403, admin=302), kwargs=city, method="post"),
    Entry("notices:robot_test", logged_in(405), kwargs=city, label="-get"),
    Entry("notices:deliveries", STAFF_AND_ADMIN),
    # The calendar feed needs no login: the secret token in its address is the key.
    Entry("calendar_feed", expect(200), kwargs=lambda w: {"token": w.calendar_token}),
    Entry("calendar_feed", expect(404), kwargs=lambda w: {"token": "unknown"}, label="-unknown"),
]
