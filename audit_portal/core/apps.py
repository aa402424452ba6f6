from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "audit_portal.core"
    label = "core"
    verbose_name = _("Shared base")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from audit_portal.core import checks, history  # noqa: F401
        from audit_portal.core.append_only import install_after_migrate
        from audit_portal.core.files.selectors import watch_files_after_login

        user_logged_in.connect(watch_files_after_login, dispatch_uid="core.watch_files")
        # Once per migrate (sent for core after every app's migrations ran).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="core.append_only")
