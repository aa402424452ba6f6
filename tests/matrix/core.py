from tests.matrix import Entry, expect, logged_in

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
]
