"""Every create is safe to submit twice: a form carries a one-time token, and the first request
that presents it claims it.

Each POST form of the site renders ``{% once_token %}`` (a built-in tag, next to
``{% csrf_token %}``): a hidden random token. ``SubmitOnceMiddleware`` claims the token — a row
with a unique key — in the same transaction as the view's work. A second copy of the request (a
double click, a form sent again from the back button, two identical requests at once) waits for
the first on the unique key, then finds it claimed: nothing is written twice and the user is
sent where the first submission led, with a message. An API client does the same with an
``Idempotency-Key`` header and gets a 409 for the copy.

A request that fails (the form shown again with its errors, a refusal) gives its token back, so
the corrected form can be sent with it. Requests without a token run as before.
"""

import hashlib
import re
import secrets

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _

from audit_portal.core.models import Submission

FIELD = "once_token"
HEADER = "Idempotency-Key"
API_PREFIX = "/api/"
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{16,100}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _key(token: str, request: HttpRequest) -> str:
    # The same token sent to another address is another submission.
    return hashlib.sha256(f"{request.path}\n{token}".encode()).hexdigest()


def _succeeded(response: HttpResponse, *, api: bool) -> bool:
    if api:
        return 200 <= response.status_code < 300
    # A page that worked redirects (post/redirect/get); one shown again has errors on it.
    return response.status_code in (301, 302, 303)


def _copy_response(request: HttpRequest, location: str, *, api: bool) -> HttpResponse:
    message = _(
        "This was already submitted a moment ago and has been recorded once; "
        "it was not recorded twice."
    )
    if api:
        body = {"code": "duplicate_submission", "message": message}
        if location:
            body["location"] = location
        return JsonResponse(body, status=409)
    messages.info(request, message)
    return HttpResponseRedirect(location or request.path)


class SubmitOnceMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        # The API reads its own bodies (JSON): only its header is looked at there.
        api = request.path.startswith(API_PREFIX)
        token = request.headers.get(HEADER) if api else request.POST.get(FIELD)
        if not token or not _TOKEN.match(token):
            return self.get_response(request)
        key = _key(token, request)
        user = request.user if getattr(request, "user", None) is not None else None
        with transaction.atomic():
            try:
                # On PostgreSQL a copy waits here until the first request's transaction ends;
                # on SQLite (transaction_mode IMMEDIATE) it waited to begin its transaction.
                with transaction.atomic():
                    claim = Submission.objects.create(
                        key=key, user=user if user is not None and user.is_authenticated else None
                    )
            except IntegrityError:
                location = (
                    Submission.objects.filter(key=key).values_list("location", flat=True).first()
                )
                return _copy_response(request, location or "", api=api)
            response = self.get_response(request)
            if _succeeded(response, api=api):
                location = response.get("Location", "")[:500]
                if location:
                    Submission.objects.filter(pk=claim.pk).update(location=location)
            elif response.status_code >= 500:
                transaction.set_rollback(True)
            else:
                Submission.objects.filter(pk=claim.pk).delete()
        return response
