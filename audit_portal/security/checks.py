from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from audit_portal.security.services import retention_days


@register(Tags.security)
def security_event_retention_kept(app_configs, **kwargs) -> list[Error]:
    """A retention under the legal floor is refused at start-up, not only when the purge runs."""
    try:
        retention_days()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="security.E001")]
    return []
