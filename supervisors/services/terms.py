"""A running term: ending it early, and the supervisor's confidentiality undertaking."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from supervisors.models import Term
from supervisors.policies import term_policy
from supervisors.services.grants import _sync_grants

UNDERTAKING_VERSION = "2026-1"


@transaction.atomic
def term_end_early(*, term: Term, kind: str, on: datetime.date, reason: str, actor: User) -> Term:
    """Resignation or dismissal: from ``on`` the supervisor has no access."""
    term_policy.require("end_early", actor, term)
    if not term.starts_on < on <= term.last_day:
        raise ValidationError(
            {"on": _("Choose a day after the term began and no later than its last day.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    term.terminated_on = on
    term.end_kind = kind
    term.end_reason = reason.strip()
    save_audited(term, actor=actor, reason=reason)
    _sync_grants(term.supervisor)
    return term


@transaction.atomic
def undertaking_accept(*, term: Term, actor: User) -> Term:
    """The supervisor accepts the confidentiality undertaking themself, once per term."""
    term_policy.require("accept_undertaking", actor, term)
    term.undertaking_accepted_at = timezone.now()
    term.undertaking_version = UNDERTAKING_VERSION
    return save_audited(term, actor=actor, reason=_("Confidentiality undertaking accepted"))
