from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent


class RecordRefusalsMiddleware:
    """Logs every 403 answered to a signed-in user (a page, an API call, a file), with the path:
    an action refused to someone inside the system is what an access review looks for. Outsiders'
    404s are not refusals (the object is not theirs to know of) and are not logged; nor are an
    anonymous visitor's 403s (a stale login form's CSRF failure)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403 and user is not None and user.is_authenticated:
            record(
                SecurityEvent.Kind.PERMISSION_DENIED,
                request=request,
                outcome=SecurityEvent.Outcome.DENIED,
                target=f"{request.method} {request.path}",
            )
        return response
