"""Who may do what to a resident record, now (see ``audit_portal/core/policy.py``).

Scope is the selectors' (``residents_for``: an outsider never finds the record, a 404). Within
scope, the placing station's staff admit, record the identity search, settlement, the return
home and the follow-ups (谁送托、谁负责); the caring institution's accounts record care (health
notes) and discharge; the county and city bureaus read. Administrators read and reveal numbers
but write nothing: the records are the station's and the institution's own statements.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.policy import Policy, Refusal, deny, not_now
from inspections.models import CustodyAgreement
from residents.models import Resident


def _placing_station(user: User, station_id: int) -> bool:
    return (
        user.is_authenticated
        and user.is_civil_affairs_staff
        and user.has_perm("residents.place_resident")
        and user.organisation_id == station_id
    )


def _caring_institution(user: User, institution_id: int) -> bool:
    return (
        user.is_authenticated
        and user.is_institution_user
        and user.has_perm("residents.care_resident")
        and user.institution_id == institution_id
    )


def _in_care(resident: Resident) -> Refusal | None:
    if not resident.in_care:
        return not_now(_("The resident has been discharged."))
    return None


class ResidentPolicy(Policy):
    actions = (
        "care",
        "discharge",
        "identify",
        "search",
        "settle",
        "return_home",
        "follow_up",
        "reveal_id_number",
    )

    # A new resident: an agreement of the user's own station ----------------------------------

    def admit_under(self, user: User, agreement: CustodyAgreement) -> Refusal | None:
        return None if _placing_station(user, agreement.station_id) else deny()

    def require_admit_under(self, user: User, agreement: CustodyAgreement) -> None:
        refusal = self.admit_under(user, agreement)
        if refusal is not None:
            raise PermissionDenied(refusal.message)

    def may_admit(self, user: User) -> bool:
        """Whether the user is staff of a station that may place at all (the admit page)."""
        return (
            user.is_authenticated
            and user.is_civil_affairs_staff
            and user.organisation_kind == "station"
            and user.has_perm("residents.place_resident")
        )

    # The caring institution ------------------------------------------------------------------

    def _institution(self, user: User, resident: Resident) -> Refusal | None:
        return None if _caring_institution(user, resident.institution_id) else deny()

    def care(self, user: User, resident: Resident) -> Refusal | None:
        """Health notes, while in care."""
        return self._institution(user, resident) or _in_care(resident)

    def discharge(self, user: User, resident: Resident) -> Refusal | None:
        return self._institution(user, resident) or _in_care(resident)

    # The placing station ---------------------------------------------------------------------

    def _station(self, user: User, resident: Resident) -> Refusal | None:
        return None if _placing_station(user, resident.station_id) else deny()

    def identify(self, user: User, resident: Resident) -> Refusal | None:
        """Name, identity status and ID number, as the search finds them (also after discharge,
        to correct the record)."""
        return self._station(user, resident)

    def search(self, user: User, resident: Resident) -> Refusal | None:
        """Record identity search steps, while in care."""
        return self._station(user, resident) or _in_care(resident)

    def settle(self, user: User, resident: Resident) -> Refusal | None:
        """File a settlement report or application, while in care."""
        return self._station(user, resident) or _in_care(resident)

    def return_home(self, user: User, resident: Resident) -> Refusal | None:
        """Record the return home once: while in care (the return discharges), or after the
        institution discharged the resident as returned home."""
        if refusal := self._station(user, resident):
            return refusal
        if hasattr(resident, "return_home"):
            return not_now(_("The return home is already recorded."))
        if not resident.in_care and resident.discharge_kind != Resident.Discharge.RETURNED_HOME:
            return not_now(_("The resident left otherwise than by returning home."))
        return None

    def follow_up(self, user: User, resident: Resident) -> Refusal | None:
        """Record follow-up visits and the written feedback after a return home."""
        if refusal := self._station(user, resident):
            return refusal
        if not hasattr(resident, "return_home"):
            return not_now(_("Record the return home first."))
        return None

    # Every reader with the right -------------------------------------------------------------

    def reveal_id_number(self, user: User, resident: Resident) -> Refusal | None:
        """The full number, logged; for readers in scope with the right (scope: selectors)."""
        if not user.has_perm("residents.view_full_id_number_resident"):
            return deny()
        if not resident.id_number:
            return not_now(_("No ID number is on record."))
        return None


resident_policy = ResidentPolicy()
