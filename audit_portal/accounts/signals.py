from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from audit_portal.accounts.middleware import SESSION_STARTED_KEY


@receiver(user_logged_in)
def stamp_session_start(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = timezone.now().timestamp()
