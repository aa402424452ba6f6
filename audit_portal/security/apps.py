from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """The security event log (安全日志): sign-ins and their failures, lockouts, second-factor
    events, refusals, personal-data exports and full-ID views, API token use and changes of roles
    and permissions — who, when, from where, with what outcome. Written through
    ``events.record``; the hooks that need no owning module live in ``receivers``."""

    name = "audit_portal.security"
    label = "security"
    verbose_name = _("Security log")

    # The log covers every account of every county: administrators and the city bureau read it.
    role_permissions = {
        "admin": {"security.view_securityevent"},
        "staff:city": {"security.view_securityevent"},
    }
    navigation = [
        (("admin", "staff:city"), _("Security log"), "security:event_list", "system"),
    ]

    def ready(self) -> None:
        from audit_portal.security import checks, receivers  # noqa: F401
