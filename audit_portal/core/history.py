"""Audit trail: every history row says who changed a record, when, and why.

django-simple-history writes the rows; this module makes the reason mandatory for edits and
deletions of regulated models (those with ``REASON_REQUIRED = True``), so no code path — service,
admin or shell — can change a regulated record silently.
"""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext as _
from simple_history.signals import post_create_historical_record, pre_create_historical_record


class MissingChangeReason(Exception):
    """A regulated record was edited or deleted without a reason for change."""


@receiver(pre_create_historical_record)
def require_reason_for_regulated_changes(sender, instance, history_instance, **kwargs) -> None:
    if not getattr(type(instance), "REASON_REQUIRED", False):
        return
    if (
        history_instance.history_type in ("~", "-")
        and not (history_instance.history_change_reason or "").strip()
    ):
        raise MissingChangeReason(
            _("A reason for change is required to edit or delete %(model)s “%(object)s”.")
            % {"model": type(instance)._meta.verbose_name, "object": instance}
        )


@receiver(post_create_historical_record)
def forget_used_reason(sender, instance, **kwargs) -> None:
    # A reason explains one change; the next change on the same object must give its own.
    for attr in ("_change_reason",):
        if hasattr(instance, attr):
            delattr(instance, attr)


def stamp(obj: models.Model, *, actor, reason: str = "") -> models.Model:
    """Attach the acting user and the reason to ``obj`` for the history row its next save writes."""
    obj._history_user = actor if actor is not None and actor.is_authenticated else None
    obj._change_reason = reason.strip() if reason else ""
    return obj


def save_audited(obj: models.Model, *, actor, reason: str = "", **save_kwargs) -> models.Model:
    """Validate and save ``obj`` with its history row carrying ``actor`` and ``reason``."""
    obj.full_clean()
    stamp(obj, actor=actor, reason=reason)
    obj.save(**save_kwargs)
    return obj
