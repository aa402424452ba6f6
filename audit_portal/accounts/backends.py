from django.contrib.auth.backends import ModelBackend

from audit_portal.accounts.models import User
from audit_portal.accounts.roles import permissions_for


class RoleBackend(ModelBackend):
    """Password authentication, plus the model-level permissions each role grants.

    The roles' declarations are the only source of model-level permissions: no permission rows
    are kept per user or per group, so a permission check reads no table. Object-level grants
    (``obj`` given) are django-guardian's business, so this backend answers only for
    model-level checks.
    """

    def get_user(self, user_id):
        # Every page reads the user's organisation (menu, scope): one query for both.
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            user_obj._role_perm_cache = permissions_for(user_obj)
        return user_obj._role_perm_cache
