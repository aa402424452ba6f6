"""Who may do what in the institution registry, now (see ``audit_portal/core/policy.py``).

The city and county bureaus keep the registry: they edit an institution's entry, change its
status (approving it only while it meets every qualification condition), open accounts for its
staff and verify the documents it submits. The institution's own accounts (and the bureaus)
submit its qualification documents; a document is verified or rejected once, by someone other
than whoever submitted it. Rescue stations sign custody agreements, activate them while the
institution is placeable, suspend or end them, and place residents under an active one.

One policy per model: ``InstitutionPolicy``, ``QualificationDocumentPolicy`` and
``AgreementPolicy`` (a custody agreement and its placements). What depends on what the user
posts (the status asked for, the placement's date and category) stays the service's to check.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.policy import Policy, Refusal, deny, not_now
from inspections.models import CustodyAgreement, Institution, QualificationDocument


def _perm(user: User, perm: str) -> Refusal | None:
    if user.is_authenticated and user.has_perm(perm):
        return None
    return deny()


def placeable_refusal(institution: Institution, on: datetime.date, action: str) -> Refusal | None:
    """Residents are placed only with an approved institution that meets every qualification
    condition on the day: the refusal names the action, the day and every failing condition."""
    eligibility = institution.eligibility(on)
    problems = [f"{check.label}：{check.detail}" for check in eligibility.failing]
    if institution.status != Institution.Status.APPROVED:
        problems.insert(
            0, _("status is “%(status)s”") % {"status": institution.get_status_display()}
        )
    if not problems:
        return None
    return not_now(
        _(
            "%(action)s refused: %(institution)s does not meet the conditions on %(date)s — "
            "%(problems)s"
        )
        % {
            "action": action,
            "institution": institution,
            "date": on,
            "problems": "；".join(problems),
        }
    )


class InstitutionPolicy(Policy):
    actions = (
        "edit",
        "change_status",
        "approve",
        "upload_document",
        "create_account",
        "create_agreement",
    )

    def edit(self, user: User, institution: Institution) -> Refusal | None:
        """Correct the registry entry (with a reason kept in its history)."""
        return _perm(user, "inspections.change_institution")

    def change_status(self, user: User, institution: Institution) -> Refusal | None:
        """Move the institution to another status, with a reason."""
        return _perm(user, "inspections.change_institution_status")

    def approve(self, user: User, institution: Institution) -> Refusal | None:
        """Approve it: only while it meets every qualification condition today."""
        if refusal := self.change_status(user, institution):
            return refusal
        eligibility = institution.eligibility(timezone.localdate())
        if not eligibility.eligible:
            return not_now(
                _("The institution cannot be approved: %(failing)s")
                % {"failing": eligibility.summary()}
            )
        return None

    def upload_document(self, user: User, institution: Institution) -> Refusal | None:
        """Submit a qualification document (or a renewal): the bureaus, or the institution's
        own accounts for their institution."""
        if refusal := _perm(user, "inspections.add_qualificationdocument"):
            return refusal
        if user.is_institution_user and user.institution_id != institution.pk:
            return deny()
        return None

    def create_account(self, user: User, institution: Institution) -> Refusal | None:
        """Open an account for the institution's own staff."""
        return _perm(user, "accounts.add_user")

    def create_agreement(self, user: User, institution: Institution) -> Refusal | None:
        """Sign a custody agreement with it (saved as a draft)."""
        return _perm(user, "inspections.add_custodyagreement")


class QualificationDocumentPolicy(Policy):
    actions = ("verify", "reject", "renew")

    def verify(self, user: User, document: QualificationDocument) -> Refusal | None:
        """Verify it against the original: staff with the right to, other than whoever
        submitted it (four eyes), once."""
        if refusal := _perm(user, "inspections.verify_document"):
            return refusal
        if user.is_institution_user or user.pk == document.submitted_by_id:
            return deny(_("A document is verified by someone other than its submitter."))
        if document.status != QualificationDocument.Status.PENDING:
            return not_now(_("This document has already been reviewed."))
        return None

    def reject(self, user: User, document: QualificationDocument) -> Refusal | None:
        """Reject it with a reason: the same people, the same once."""
        return self.verify(user, document)

    def only_others_verify(self, user: User, document: QualificationDocument) -> bool:
        """The user would verify this pending document but submitted it: a second person must
        (the page says so instead of offering the form)."""
        return (
            not user.is_institution_user
            and _perm(user, "inspections.verify_document") is None
            and user.pk == document.submitted_by_id
            and document.status == QualificationDocument.Status.PENDING
        )

    def renew(self, user: User, document: QualificationDocument) -> Refusal | None:
        """Submit its renewal: whoever may submit the institution's documents, for a verified
        document (a pending one is still being checked, a rejected one is replaced anew)."""
        if refusal := institution_policy.upload_document(user, document.institution):
            return refusal
        if document.status != QualificationDocument.Status.VERIFIED:
            return not_now(document.get_status_display())
        return None


class AgreementPolicy(Policy):
    """A custody agreement: activated, suspended or ended, and placements under it."""

    actions = ("activate", "change_status", "place")

    def activate(self, user: User, agreement: CustodyAgreement) -> Refusal | None:
        """Activate a draft (once signed) or a suspended agreement: within its term, while the
        institution is placeable from the day it takes effect."""
        if refusal := _perm(user, "inspections.activate_custodyagreement"):
            return refusal
        if agreement.status not in (
            CustodyAgreement.Status.DRAFT,
            CustodyAgreement.Status.SUSPENDED,
        ):
            return not_now(_("Only a draft or suspended agreement can be activated."))
        today = timezone.localdate()
        if today > agreement.ends_on:
            return not_now(_("The agreement's term has ended."))
        return placeable_refusal(
            agreement.institution, max(today, agreement.starts_on), _("Activation")
        )

    def change_status(self, user: User, agreement: CustodyAgreement) -> Refusal | None:
        """Suspend or end it (which moves are possible depends on the status asked for: the
        service checks it); an ended agreement stays ended."""
        if refusal := _perm(user, "inspections.change_custodyagreement"):
            return refusal
        if agreement.status not in AGREEMENT_MOVES:
            return not_now(_("This agreement cannot move to that status."))
        return None

    def place(self, user: User, agreement: CustodyAgreement) -> Refusal | None:
        """Record a placement: only under an active agreement (the day, the category and the
        institution's conditions on that day are the service's to check)."""
        if refusal := _perm(user, "inspections.add_placement"):
            return refusal
        if agreement.status != CustodyAgreement.Status.ACTIVE:
            return not_now(_("Placements start only under an active agreement."))
        return None


# The statuses an agreement may move to from each status (suspend or end).
AGREEMENT_MOVES: dict[str, set[str]] = {
    CustodyAgreement.Status.ACTIVE: {
        CustodyAgreement.Status.SUSPENDED,
        CustodyAgreement.Status.ENDED,
    },
    CustodyAgreement.Status.SUSPENDED: {CustodyAgreement.Status.ENDED},
    CustodyAgreement.Status.DRAFT: {CustodyAgreement.Status.ENDED},
}

institution_policy = InstitutionPolicy()
document_policy = QualificationDocumentPolicy()
agreement_policy = AgreementPolicy()
