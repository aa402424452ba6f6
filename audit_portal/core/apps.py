from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "audit_portal.core"
    label = "core"
    verbose_name = _("Shared base")

    def ready(self) -> None:
        from audit_portal.core import history  # noqa: F401
