from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The API's shared machinery (``/api/v1/``): tokens and their authentication, throttles,
    pagination, the JSON errors and the view base the domain apps' ``api.py`` build on. It
    imports no domain app; the root URLconf composes the apps' routes."""

    name = "audit_portal.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular.
        from audit_portal.api import schema  # noqa: F401
