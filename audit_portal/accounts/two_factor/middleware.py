import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from audit_portal.accounts.two_factor.services import must_verify

# Reached without finishing the second step: the public open-day pages (not its staff pages),
# the health check, static files, the language switch, the calendar feed and the API (tokens;
# its session authentication refuses an unverified session itself).
EXEMPT_PATHS = re.compile(r"^/(?:healthz$|open-day/(?!staff/)|api/|calendar/|i18n/|favicon\.ico$)")
EXEMPT_VIEWS = (
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
)


class SecondFactorMiddleware:
    """Sends a session that still owes its second factor to the code page (which sends a user
    without one to enrolment) from every page but the few above, the admin site included."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if must_verify(request) and not self._exempt(request.path_info):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:two_factor_verify')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        if path.startswith(settings.STATIC_URL) or EXEMPT_PATHS.match(path):
            return True
        return path in {reverse(name) for name in EXEMPT_VIEWS}
