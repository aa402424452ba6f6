from tests.matrix import Entry, logged_in

ENTRIES = [
    # The security log: administrators and the city bureau; every other account is refused
    # (403, a role permission it lacks, itself written to the log).
    Entry("security:event_list", logged_in(403, admin=200, city_staff=200)),
]

# Two-step verification: every account's own page; resetting another's is for administrators.
ENTRIES += [
    Entry("accounts:two_factor", logged_in(200)),
    Entry("accounts:two_factor_verify", logged_in(302)),
    Entry("accounts:two_factor_enrol", logged_in(200)),
    Entry("accounts:two_factor_recovery_codes", logged_in(405)),
    Entry("accounts:two_factor_turn_off", logged_in(405)),
    Entry("accounts:two_factor_reset", logged_in(405)),
]
