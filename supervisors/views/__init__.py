"""Pages of the supervisor scheme, one module per family of pages: ``roster`` (the roster and
a supervisor's record), ``appointments`` (the procedure), ``terms`` (the appointment letter, a
term ended early), ``groups``, ``activity`` (complaints and events, staff side) and ``me`` (the
supervisor's own pages). ``common`` holds the staff area's gate and the one-click step.

Who may do what: the city bureau (home of the joint-meeting office) and administrators run the
scheme; a county bureau reads the roster of the supervisors working in its county (ID numbers
masked) and gets 403 on anything that writes; rescue stations, institutions and supervisors get
404 on staff pages. A supervisor sees only their own record, through the "me" pages.
"""

from supervisors.views.activity import complaint_list, complaint_update, event_create
from supervisors.views.appointments import (
    appointment_decide,
    appointment_detail,
    appointment_file,
    appointment_list,
    appointment_nominate,
    appointment_override,
    appointment_turn_down,
    appointment_vet,
)
from supervisors.views.groups import (
    assignment_end,
    group_activate,
    group_assign,
    group_detail,
    group_list,
    group_member_add,
    group_member_remove,
)
from supervisors.views.me import (
    complaint_create,
    my_institution,
    my_record,
    suggestion_create,
    undertaking,
)
from supervisors.views.roster import (
    supervisor_create,
    supervisor_detail,
    supervisor_id_number,
    supervisor_list,
)
from supervisors.views.terms import term_end, term_letter

__all__ = [
    "appointment_decide",
    "appointment_detail",
    "appointment_file",
    "appointment_list",
    "appointment_nominate",
    "appointment_override",
    "appointment_turn_down",
    "appointment_vet",
    "assignment_end",
    "complaint_create",
    "complaint_list",
    "complaint_update",
    "event_create",
    "group_activate",
    "group_assign",
    "group_detail",
    "group_list",
    "group_member_add",
    "group_member_remove",
    "my_institution",
    "my_record",
    "suggestion_create",
    "supervisor_create",
    "supervisor_detail",
    "supervisor_id_number",
    "supervisor_list",
    "term_end",
    "term_letter",
    "undertaking",
]
