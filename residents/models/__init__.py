"""Resident records (issue 19): the person in care, the identity search, settlement of long
stays, the return home and the follow-up visits."""

from residents.models.residents import (
    ADULT_AGE,
    Resident,
    ResidentIdView,
    ResidentReadRequest,
    long_stay_day,
)
from residents.models.steps import FollowUpVisit, IdentityStep, ReturnHome, Settlement
from residents.models.visits import ResidentSeen

__all__ = [
    "ADULT_AGE",
    "FollowUpVisit",
    "IdentityStep",
    "Resident",
    "ResidentIdView",
    "ResidentReadRequest",
    "ResidentSeen",
    "ReturnHome",
    "Settlement",
    "long_stay_day",
]
