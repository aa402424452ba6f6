from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from audit_portal.accounts.middleware import SESSION_STARTED_KEY
from audit_portal.accounts.two_factor.services import PENDING_SESSION_KEY, has_second_factor


@receiver(user_logged_in)
def stamp_session_start(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = timezone.now().timestamp()


@receiver(user_logged_in)
def ask_for_the_second_factor(sender, request, user, **kwargs) -> None:
    # Whoever has set up a second factor gives it at every sign-in, required of them or not.
    if request is not None and hasattr(request, "session") and has_second_factor(user):
        request.session[PENDING_SESSION_KEY] = True
