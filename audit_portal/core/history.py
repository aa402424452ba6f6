"""Audit trail: every history row says who changed a record, when, and why.

django-simple-history writes the rows; this module makes the reason mandatory for edits and
deletions of regulated models (those with ``REASON_REQUIRED = True``), so no code path — service,
admin or shell — can change a regulated record silently. A creation row given no reason says
where it came from ("created by <view name>"). Each row is sealed into its table's hash chain as
it is written (``core.audit_chain``).
"""

import sys
from pathlib import PurePath

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
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


def creation_reason() -> str:
    """Where a record created without a reason came from: the page (its URL name), else the
    management command, else the system. Kept in English: it is data naming code, not UI."""
    request = getattr(HistoricalRecords.context, "request", None)
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return f"created by {match.view_name}"
    if len(sys.argv) > 1 and PurePath(sys.argv[0]).name in ("manage.py", "django-admin"):
        return f"created by manage.py {sys.argv[1]}"
    return "created by the system"


def fill_creation_reason(history_instance: models.Model) -> None:
    """Give a creation row without a reason the one ``creation_reason`` finds."""
    if getattr(history_instance, "history_type", None) != "+":
        return
    if not (history_instance.history_change_reason or "").strip():
        history_instance.history_change_reason = creation_reason()


@receiver(pre_create_historical_record)
def give_creation_rows_a_reason(sender, history_instance, **kwargs) -> None:
    fill_creation_reason(history_instance)


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
