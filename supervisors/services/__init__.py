"""Writes of the supervisor scheme. Each is atomic, leaves history with actor and reason, and
refuses what the rules refuse (DOMAIN §4) with a message staff can act on."""

from supervisors.services.activity import (
    complaint_forward,
    complaint_update,
    event_record,
    event_update,
    suggestion_make,
    suggestion_respond,
)
from supervisors.services.appointments import (
    appointment_decide,
    appointment_file,
    appointment_nominate,
    appointment_override_term_limit,
    appointment_turn_down,
    appointment_vet,
    consecutive_terms_before,
)
from supervisors.services.grants import SUPERVISION_PERMISSIONS
from supervisors.services.groups import (
    assignment_end,
    group_activate,
    group_add_member,
    group_assign,
    group_create,
    group_remove_member,
    group_rename,
)
from supervisors.services.people import (
    SUPERVISOR_FIELDS,
    id_number_view_log,
    supervisor_account_changed,
    supervisor_create,
    supervisor_reveal_id_number,
    supervisor_update,
)
from supervisors.services.terms import UNDERTAKING_VERSION, term_end_early, undertaking_accept

__all__ = [
    "SUPERVISION_PERMISSIONS",
    "SUPERVISOR_FIELDS",
    "UNDERTAKING_VERSION",
    "appointment_decide",
    "appointment_file",
    "appointment_nominate",
    "appointment_override_term_limit",
    "appointment_turn_down",
    "appointment_vet",
    "assignment_end",
    "complaint_forward",
    "complaint_update",
    "consecutive_terms_before",
    "event_record",
    "event_update",
    "group_activate",
    "group_add_member",
    "group_assign",
    "group_create",
    "group_remove_member",
    "group_rename",
    "id_number_view_log",
    "suggestion_make",
    "suggestion_respond",
    "supervisor_account_changed",
    "supervisor_create",
    "supervisor_reveal_id_number",
    "supervisor_update",
    "term_end_early",
    "undertaking_accept",
]
