"""The invited-supervisor scheme (DOMAIN §4): supervisors, their appointment procedure and
terms, supervision groups and their assignments to institutions, and their activity.

How a term's days are counted: ``supervisors/models/terms.py``.
"""

from supervisors.models.activity import Complaint, Event, Suggestion
from supervisors.models.appointments import Appointment, VettingFinding
from supervisors.models.groups import Assignment, GroupMembership, SupervisionGroup
from supervisors.models.people import IdNumberView, Supervisor, age_on, mask_id_number
from supervisors.models.terms import Term

__all__ = [
    "Appointment",
    "Assignment",
    "Complaint",
    "Event",
    "GroupMembership",
    "IdNumberView",
    "Suggestion",
    "SupervisionGroup",
    "Supervisor",
    "Term",
    "VettingFinding",
    "age_on",
    "mask_id_number",
]
