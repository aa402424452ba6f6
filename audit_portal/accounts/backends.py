from django.contrib.auth.backends import ModelBackend

from audit_portal.accounts.roles import permissions_for


class RoleBackend(ModelBackend):
    """Password authentication, plus the model-level permissions each role grants.

    Object-level grants (``obj`` given) are django-guardian's business, so this backend answers
    only for model-level checks.
    """

    def get_all_permissions(self, user_obj, obj=None):
        perms = super().get_all_permissions(user_obj, obj)
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return perms
        if not hasattr(user_obj, "_role_perm_cache"):
            user_obj._role_perm_cache = permissions_for(user_obj)
        return perms | user_obj._role_perm_cache
