from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "audit_portal_session_started"
SESSION_TOUCHED_KEY = "audit_portal_session_touched"


class SessionLifetimeMiddleware:
    """Ends a session after the idle limit and 12 hours after login however active it was.

    The idle limit is SESSION_COOKIE_AGE: each save moves the session row's expiry and the
    cookie's together. Saving on every request (SESSION_SAVE_EVERY_REQUEST) would cost three
    queries per page, so a request saves the session only when the last save is older than
    SESSION_REFRESH_SECONDS: the idle limit holds to within that minute.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            if started is None:
                session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if now - session.get(SESSION_TOUCHED_KEY, 0) > settings.SESSION_REFRESH_SECONDS:
                session[SESSION_TOUCHED_KEY] = now
        return self.get_response(request)
