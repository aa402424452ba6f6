"""What each role sees first after logging in.

The page is a role template plus *panels* that apps contribute through ``home_panels`` on their
AppConfig: ``(roles, template, "dotted.path.to.context_function")``. The function takes the user
and returns the panel's context, or ``None`` to leave the panel out.
"""

from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

from audit_portal.accounts.models import User
from audit_portal.accounts.selectors import organisations_in_scope


def _panels(user: User, role: str) -> list[dict[str, Any]]:
    panels = []
    for config in apps.get_app_configs():
        for roles, template, context_path in getattr(config, "home_panels", ()):
            if role not in roles:
                continue
            context = import_string(context_path)(user)
            if context is not None:
                panels.append({"template": template, "context": context})
    return panels


def home_page(user: User) -> tuple[str, dict[str, Any]]:
    role = "admin" if user.is_admin else user.role
    context: dict[str, Any] = {"panels": _panels(user, role)}
    if user.is_admin:
        context.update(
            organisation_count=organisations_in_scope(user).count(),
            user_count=User.objects.count(),
        )
        return "home/admin.html", context
    if user.is_civil_affairs_staff:
        context["organisations"] = organisations_in_scope(user).select_related("parent")
        return "home/staff.html", context
    if user.is_supervisor:
        return "home/supervisor.html", context
    return "home/institution.html", context
