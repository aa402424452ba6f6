from audit_portal.notices.services import header_forget

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ForgetAfterWrites:
    """After a user changes something (any request that is not a read), their header counts and
    home inbox are counted again on their next page: the item they have just dealt with leaves
    their inbox at once, not a minute later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                header_forget([user.pk])
        return response
