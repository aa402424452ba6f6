from django.db.models import QuerySet

from audit_portal.accounts.models import User
from audit_portal.api.models import ApiToken, ApiTokenUse


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """The tokens a user manages: their own; an administrator's, everyone's."""
    tokens = ApiToken.objects.select_related("user", "created_by", "revoked_by")
    if not user.is_authenticated or not user.is_active:
        return tokens.none()
    if user.is_admin:
        return tokens
    if user.is_civil_affairs_staff:
        return tokens.filter(user=user)
    return tokens.none()


def recent_uses(token: ApiToken, limit: int = 20) -> list[ApiTokenUse]:
    return list(token.uses.order_by("-at")[:limit])
