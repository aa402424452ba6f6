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
