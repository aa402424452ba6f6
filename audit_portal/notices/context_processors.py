from django.utils.functional import SimpleLazyObject

from audit_portal.notices.selectors import header_counts as counted


def header_counts(request) -> dict:
    """The header's unread notifications and to-dos: read (one cache read when warm, see
    ``selectors.header_counts``) only when a page's header shows them, so a page without the
    header pays nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"header_counts": SimpleLazyObject(lambda: counted(user))}
