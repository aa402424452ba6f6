from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "audit_portal.core"
    label = "core"
    verbose_name = _("Shared base")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from audit_portal.core import history  # noqa: F401
        from audit_portal.core.files.selectors import watch_files_after_login

        user_logged_in.connect(watch_files_after_login, dispatch_uid="core.watch_files")
