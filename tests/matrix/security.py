from tests.matrix import Entry, logged_in

ENTRIES = [
    # The security log: administrators and the city bureau; every other account is refused
    # (403, a role permission it lacks, itself written to the log).
    Entry("security:event_list", logged_in(403, admin=200, city_staff=200)),
]
