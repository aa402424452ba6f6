"""Who may act on a generated file, now (see ``audit_portal/core/policy.py``): its owner
downloads it while it is ready and kept, and starts it again when it failed or the worker
stopped. Whose file it is decides scope first: another user's file was never found (404)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit_portal.core.models import GeneratedFile
from audit_portal.core.policy import Policy, Refusal, deny, not_now


class GeneratedFilePolicy(Policy):
    actions = ("download", "retry")

    def _owner(self, user, job: GeneratedFile) -> Refusal | None:
        if not user.is_authenticated or job.owner_id is None or job.owner_id != user.pk:
            return deny()
        return None

    def download(self, user, job: GeneratedFile) -> Refusal | None:
        if refusal := self._owner(user, job):
            return refusal
        if job.status == GeneratedFile.Status.DONE and job.is_expired():
            return not_now(
                _("This file was kept until %(until)s and has been deleted. Ask for it again.")
                % {
                    "until": formats.date_format(
                        timezone.localtime(job.expires_at or job.purged_at), "Y-m-d H:i"
                    )
                }
            )
        if not job.is_available():
            return not_now(_("This file is not ready."))
        return None

    def retry(self, user, job: GeneratedFile) -> Refusal | None:
        if refusal := self._owner(user, job):
            return refusal
        if job.status == GeneratedFile.Status.FAILED or job.is_stalled():
            return None
        return not_now(_("Only a file that failed or stopped on the way is started again."))


file_policy = GeneratedFilePolicy()
