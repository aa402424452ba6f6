"""Writes on checklist templates: a version used by an inspection never changes again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited, stamp
from inspections.models import Area, ChecklistItem, ChecklistTemplate

ITEM_FIELDS = ("area", "text", "guidance", "critical")


def _check_items(items: list[dict]) -> None:
    if not items:
        raise ValidationError(_("A checklist needs at least one item."))
    for item in items:
        if item.get("area") not in Area.values or not (item.get("text") or "").strip():
            raise ValidationError(_("Every item needs an area and the check to make."))


def _create_items(template: ChecklistTemplate, items: list[dict], actor: User) -> None:
    for position, item in enumerate(items, start=1):
        row = ChecklistItem(
            template=template, position=position, **{k: item.get(k, "") for k in ITEM_FIELDS}
        )
        row.critical = bool(item.get("critical"))
        save_audited(row, actor=actor)


@transaction.atomic
def template_create(
    *, code: str, name: str, description: str = "", items: list[dict], actor: User
) -> ChecklistTemplate:
    _check_items(items)
    if ChecklistTemplate.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A checklist with this code already exists.")})
    template = save_audited(
        ChecklistTemplate(code=code, name=name, description=description, created_by=actor),
        actor=actor,
    )
    _create_items(template, items, actor)
    return template


@transaction.atomic
def template_revise(
    *,
    template: ChecklistTemplate,
    name: str,
    description: str,
    items: list[dict],
    actor: User,
    reason: str,
) -> ChecklistTemplate:
    """Change a checklist. If any inspection used this version, the change becomes the next
    version and this one is retired, so past inspections keep the checks they were done with.
    Returns the version now in use."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    if not template.is_active:
        raise ValidationError(_("Only the version in use can be changed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the change.")})
    _check_items(items)
    if template.inspections.exists():
        template.status = ChecklistTemplate.Status.RETIRED
        save_audited(template, actor=actor, reason=reason)
        revised = save_audited(
            ChecklistTemplate(
                code=template.code,
                version=template.version + 1,
                name=name,
                description=description,
                previous=template,
                created_by=actor,
            ),
            actor=actor,
        )
        _create_items(revised, items, actor)
        return revised
    template.name, template.description = name, description
    save_audited(template, actor=actor, reason=reason)
    for item in template.items.all():
        stamp(item, actor=actor, reason=reason)
        item.delete()
    _create_items(template, items, actor)
    return template
