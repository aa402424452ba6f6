"""Who may do what in the open day, now (see ``audit_portal/core/policy.py``).

The city bureau drafts the year's summary, edits its narratives and computes its figures again
while it is a draft; someone of the bureau other than everyone who wrote any part of the draft
approves it (or sends an approved summary back to draft), and the bureau publishes it and drafts
corrections of the published version. Everyone who reads the summaries previews the PDF. The
county and city bureaus arrange the visits of the institutions in their scope and answer the
public's complaints; a supervisor of a group the complaint was routed to forwards it into the
supervisor scheme.

One policy per model: ``SummaryPolicy`` (and ``draft_for`` for a year's first version, which has
no object yet), ``VisitDayPolicy`` (``arrange_for`` an institution, whose visit day may not exist
yet) and ``PublicComplaintPolicy``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.policy import Policy, Refusal, deny, not_now
from inspections.models import Institution
from openday.models import PublicComplaint, Summary, SummaryEntry
from supervisors.selectors import own_supervisor

SummaryStatus = Summary.Status
ComplaintStatus = PublicComplaint.Status


def _role(user: User, perm: str) -> Refusal | None:
    if not user.is_authenticated or not user.has_perm(perm):
        return deny()
    return None


def _raise(refusal: Refusal | None) -> None:
    if refusal is None:
        return
    if refusal.role:
        raise PermissionDenied(refusal.message)
    raise ValidationError(refusal.message)


def contributors(summary: Summary) -> set[int]:
    """Everyone who wrote any part of this draft: none of them may approve it. Approving,
    sending back and publishing write no part of it: an approver who sent the summary back to
    draft may approve it again."""
    ids = set()
    previous = None
    for user_id, status in (
        Summary.history.filter(id=summary.pk)
        .order_by("history_date", "history_id")
        .values_list("history_user_id", "status")
    ):
        # A version saved as a draft is writing, unless it is the step back from approved.
        writing = status == SummaryStatus.DRAFT and previous in (None, SummaryStatus.DRAFT)
        if writing and user_id is not None:
            ids.add(user_id)
        previous = status
    ids |= set(
        SummaryEntry.history.filter(summary_id=summary.pk, history_user__isnull=False)
        .exclude(history_type="+")
        .values_list("history_user_id", flat=True)
    )
    ids.add(summary.drafted_by_id)
    return ids


class SummaryPolicy(Policy):
    actions = (
        "regenerate",
        "edit",
        "approve",
        "send_back",
        "publish",
        "correct",
        "preview",
        "render_files",
    )

    # A year's first version: the year, not yet an object ---------------------------------------

    def draft_for(self, user: User, year: int | None = None) -> Refusal | None:
        """Draft a year's summary: the bureau that drafts, once a year (later versions are
        corrections). Without a year, whether the user may draft at all (the page's form)."""
        if refusal := _role(user, "openday.add_summary"):
            return refusal
        if year is not None and Summary.objects.filter(year=year).exists():
            return not_now(
                _("There is already a summary for %(year)d: open it, or correct the published one.")
                % {"year": year}
            )
        return None

    def allows_draft_for(self, user: User, year: int | None = None) -> bool:
        return self.draft_for(user, year) is None

    def require_draft_for(self, user: User, year: int | None = None) -> None:
        """PermissionDenied for who the user is; with a year, a ValidationError if it has its
        summary already (without one, only the role is checked: the page's 403)."""
        _raise(self.draft_for(user, year))

    # The draft --------------------------------------------------------------------------------

    def _draft_only(self, summary: Summary) -> Refusal | None:
        if summary.status != SummaryStatus.DRAFT:
            return not_now(_("Only a draft can change; this summary is frozen."))
        return None

    def regenerate(self, user: User, summary: Summary) -> Refusal | None:
        """Compute a draft's figures again from the records."""
        return _role(user, "openday.change_summary") or self._draft_only(summary)

    def edit(self, user: User, summary: Summary) -> Refusal | None:
        """Write the narratives of a draft's institutions."""
        return _role(user, "openday.change_summary") or self._draft_only(summary)

    # Approval: the two-person rule ------------------------------------------------------------

    def _approvable(self, user: User, summary: Summary) -> Refusal | None:
        if refusal := _role(user, "openday.approve_summary"):
            return refusal
        if summary.status != SummaryStatus.DRAFT:
            return not_now(_("Only a draft can be approved."))
        return None

    def approve(self, user: User, summary: Summary) -> Refusal | None:
        """A draft, by someone with the right who wrote no part of it."""
        if refusal := self._approvable(user, summary):
            return refusal
        if user.pk in contributors(summary):
            return not_now(
                _("A summary is approved by someone other than the people who drafted it.")
            )
        return None

    def only_others_approve(self, user: User, summary: Summary) -> bool:
        """The user would approve this draft but worked on it: someone else must (the page
        says so instead of offering the button)."""
        return self._approvable(user, summary) is None and not self.allows("approve", user, summary)

    def send_back(self, user: User, summary: Summary) -> Refusal | None:
        """Return an approved summary to draft before it is published."""
        if refusal := _role(user, "openday.approve_summary"):
            return refusal
        if summary.status != SummaryStatus.APPROVED:
            return not_now(_("Only an approved summary that is not published can go back."))
        return None

    # Publication and corrections --------------------------------------------------------------

    def publish(self, user: User, summary: Summary) -> Refusal | None:
        if refusal := _role(user, "openday.publish_summary"):
            return refusal
        if summary.status != SummaryStatus.APPROVED:
            return not_now(_("Only an approved summary can be published."))
        return None

    def correct(self, user: User, summary: Summary) -> Refusal | None:
        """Draft a correction of the published version, one at a time."""
        if refusal := _role(user, "openday.add_summary"):
            return refusal
        if summary.status != SummaryStatus.PUBLISHED:
            return not_now(_("Only the published version can be corrected."))
        if Summary.objects.filter(
            year=summary.year, status__in=[SummaryStatus.DRAFT, SummaryStatus.APPROVED]
        ).exists():
            return not_now(_("A correction of this year is already in preparation."))
        return None

    def preview(self, user: User, summary: Summary) -> Refusal | None:
        """The PDF as the public will get it, in any state, for whoever reads the summaries."""
        return _role(user, "openday.view_summary")

    def render_files(self, user: User, summary: Summary) -> Refusal | None:
        """Render a public version's stored PDFs again: whoever publishes."""
        if refusal := _role(user, "openday.publish_summary"):
            return refusal
        if not summary.is_public:
            return not_now(_("Only a published summary has public files."))
        return None


summary_policy = SummaryPolicy()


class VisitDayPolicy(Policy):
    """An institution's visits on a year's open day: arranged (created or changed) by the
    bureaus with the right, for an institution in their scope (the page finds it first)."""

    actions = ()

    def arrange_for(self, user: User, institution: Institution) -> Refusal | None:
        return _role(user, "openday.change_visitday")

    def allows_arrange_for(self, user: User, institution: Institution) -> bool:
        return self.arrange_for(user, institution) is None

    def require_arrange_for(self, user: User, institution: Institution) -> None:
        _raise(self.arrange_for(user, institution))


visit_day_policy = VisitDayPolicy()


class PublicComplaintPolicy(Policy):
    actions = ("acknowledge", "reply", "forward")

    def _open(self, complaint: PublicComplaint) -> Refusal | None:
        if complaint.status == ComplaintStatus.ANSWERED:
            return not_now(_("This complaint has been answered."))
        return None

    def acknowledge(self, user: User, complaint: PublicComplaint) -> Refusal | None:
        """Mark a newly received complaint as being handled."""
        if refusal := _role(user, "openday.reply_publiccomplaint"):
            return refusal
        if refusal := self._open(complaint):
            return refusal
        if complaint.status != ComplaintStatus.RECEIVED:
            return not_now(_("This complaint is already being handled."))
        return None

    def reply(self, user: User, complaint: PublicComplaint) -> Refusal | None:
        """Answer the complainant, once."""
        return _role(user, "openday.reply_publiccomplaint") or self._open(complaint)

    def forward(self, user: User, complaint: PublicComplaint) -> Refusal | None:
        """A supervisor of a group the complaint was routed to (still a member) forwards it to
        civil affairs, once, while it is not answered."""
        if refusal := _role(user, "openday.forward_publiccomplaint"):
            return refusal
        if own_supervisor(user) is None:
            return deny()
        if not complaint.groups.filter(
            Q(memberships__supervisor__user=user) & Q(memberships__left_on__isnull=True)
        ).exists():
            return deny()
        if refusal := self._open(complaint):
            return refusal
        if complaint.forwarded_as_id:
            return not_now(_("A supervisor has already forwarded this complaint."))
        return None


complaint_policy = PublicComplaintPolicy()
