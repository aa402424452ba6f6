from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from audit_portal.core.facts import FactStore


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a bureau PC with an
    English browser would get an English UI; here only an explicit choice (the language cookie
    set by ``set_language``) changes the language.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


_request_facts = FactStore("request_facts")
# A fact several parts of one page ask for (a supervisor's institutions), read once per request;
# outside a request (a service, a command, a test calling a selector) read each time.
per_request = _request_facts.read


class RequestFactsMiddleware:
    """Gives each request its own ``per_request`` store, dropped when the response is made."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with _request_facts.scope():
            return self.get_response(request)


# Features no page of the system uses, refused to the page and anything it might embed. The
# photo fields (<input type="file" accept="image/*">) open the phone's own camera app, which
# the camera feature does not govern; only getUserMedia would need camera=(self).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class PermissionsPolicyMiddleware:
    """Sends the ``Permissions-Policy`` header on every response."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on what a signed-in user sees and on answers to a POST.

    A page for a signed-in user shows personal data (residents, supervisors' ID numbers,
    evidence); a shared office PC must not keep it in its cache or show it again from history
    after logout. An answer to a POST is the only thing an anonymous visitor sees of their own
    (a visit registration looked up by code and phone). A view that set its own Cache-Control
    keeps it: the public open-day pages are cacheable by design and carry nothing personal, and
    files are sent ``private, no-store`` by ``web.private_file`` already.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        user = getattr(request, "user", None)
        if request.method == "POST" or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "private, no-store"
        return response
