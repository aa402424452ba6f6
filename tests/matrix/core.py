from tests.matrix import Entry, expect, logged_in


def generated(w):
    return {"pk": w.generated_file.pk}


# A generated file is its owner's alone (county A staff here): 404 for everyone else.
OWNER_ONLY = logged_in(404, county_a_staff=200)

ENTRIES = [
    Entry("home", logged_in(200)),
    Entry("healthz", expect(200)),
    # A logged-in user visiting the login page is sent home.
    Entry("accounts:login", expect(302, anonymous=200)),
    Entry("accounts:logout", expect(302), method="post"),
    Entry("accounts:logout", expect(405), label="-get"),
    Entry("accounts:password_change", logged_in(200)),
    Entry("accounts:password_change_done", logged_in(200)),
    Entry("set_language", expect(302), method="post", data=lambda w: {"language": "en"}),
    # Django's admin: administrators only; everyone else is asked to log in as staff.
    Entry("admin:index", expect(302, admin=200)),
    # Files built by the worker.
    Entry("files:list", logged_in(200)),
    Entry("files:detail", OWNER_ONLY, kwargs=generated),
    Entry("files:download", OWNER_ONLY, kwargs=generated),
    # A ready file is not started again: its owner is sent back with the reason.
    Entry("files:retry", logged_in(404, county_a_staff=302), kwargs=generated, method="post"),
    Entry("files:retry", logged_in(405), kwargs=generated, label="-get"),
]
