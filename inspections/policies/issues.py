"""Who may do what to an issue, now (see ``audit_portal/core/policy.py``).

The inspected institution answers its own issues: it reports the rectification with evidence
while the issue is open, and may ask for more time until the issue is closed, one request at a
time. Staff in scope (and the supervisors assigned to the institution) verify a rectification
that waits for it, accepting or rejecting it; staff in scope decide a pending extension request.

A verification or decision concerns one rectification or request: the policy answers for the
issue (is one waiting?), the service also checks that the one posted is the one waiting.
"""

from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.policy import Policy, Refusal, deny, not_now, once
from inspections.models import DeadlineExtension, Issue
from inspections.selectors.registry import institutions_for

Status = Issue.Status


def pending_extension(issue: Issue) -> DeadlineExtension | None:
    """The issue's extension request waiting for a decision (there is at most one), from the
    requests already fetched with the issue when its page has them."""
    fetched = getattr(issue, "_prefetched_objects_cache", {}).get("extensions")
    if fetched is not None:
        pending = DeadlineExtension.Decision.PENDING
        return next((request for request in fetched if request.decision == pending), None)
    return once(
        ("pending_extension", issue.pk),
        lambda: issue.extensions.filter(decision=DeadlineExtension.Decision.PENDING).first(),
    )


class IssuePolicy(Policy):
    actions = (
        "rectify",
        "request_extension",
        "verify",
        "decide_extension",
        "approve_extension",
    )

    # The inspected institution ------------------------------------------------------------

    def _institution(self, user: User, issue: Issue, perm: str) -> Refusal | None:
        if (
            user.is_institution_user
            and user.institution_id == issue.institution_id
            and user.has_perm(perm)
        ):
            return None
        return deny()

    def rectify(self, user: User, issue: Issue) -> Refusal | None:
        """Report what was done, with evidence: while the issue is open (a rejected
        rectification reopens it)."""
        if refusal := self._institution(user, issue, "inspections.add_rectification"):
            return refusal
        if issue.status != Status.OPEN:
            return not_now(_("This issue is not waiting for a rectification."))
        return None

    def request_extension(self, user: User, issue: Issue) -> Refusal | None:
        """Ask for a later deadline: until the issue is closed, one request at a time."""
        if refusal := self._institution(user, issue, "inspections.add_deadlineextension"):
            return refusal
        if issue.is_closed:
            return not_now(_("The issue is closed."))
        if pending_extension(issue) is not None:
            return not_now(_("An extension request is already waiting for a decision."))
        return None

    # Staff and assigned supervisors ------------------------------------------------------

    def _staff(self, user: User, issue: Issue, perm: str) -> Refusal | None:
        """The role's permission, for an institution in the user's scope (staff of its county,
        the city above it or its placing station; the supervisors assigned to it)."""
        if user.has_perm(perm) and once(
            ("in_scope", user.pk, issue.institution_id),
            lambda: institutions_for(user).filter(pk=issue.institution_id).exists(),
        ):
            return None
        return deny()

    def verify(self, user: User, issue: Issue) -> Refusal | None:
        """Accept the rectification waiting for verification (which closes the issue) or
        reject it with a reason (which reopens it)."""
        if refusal := self._staff(user, issue, "inspections.verify_rectification"):
            return refusal
        if issue.status != Status.SUBMITTED:
            return not_now(_("This rectification has already been decided."))
        return None

    def decide_extension(self, user: User, issue: Issue) -> Refusal | None:
        """Approve or refuse the pending extension request (refusing it is possible even once
        the issue is closed, which clears the request)."""
        if refusal := self._staff(user, issue, "inspections.decide_extension"):
            return refusal
        if pending_extension(issue) is None:
            return not_now(_("This request has already been decided."))
        return None

    def approve_extension(self, user: User, issue: Issue) -> Refusal | None:
        """Approve it: the deadline of a closed issue no longer moves."""
        if refusal := self.decide_extension(user, issue):
            return refusal
        if issue.is_closed:
            return not_now(_("The issue is closed."))
        return None


issue_policy = IssuePolicy()
