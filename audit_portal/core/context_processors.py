from django.apps import apps
from django.urls import NoReverseMatch, reverse


def navigation(request) -> dict:
    """The navigation bar for the current user's role.

    Apps declare entries as ``navigation`` on their AppConfig: tuples of
    ``(roles, label, url name)``; an entry shows when the user's role is listed, or for staff
    ``staff:<organisation kind>`` (e.g. ``staff:city``).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    role = "admin" if user.is_admin else user.role
    # "staff:<organisation kind>" limits an entry to the staff of one kind of organisation.
    keys = {role, f"{role}:{user.organisation_kind}"} if user.organisation_id else {role}
    items = []
    for config in apps.get_app_configs():
        for roles, label, url_name in getattr(config, "navigation", ()):
            if not keys.intersection(roles):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": False})
    # Only the most specific entry is current: /institutions/issues/ is the ledger, not the
    # institution list at /institutions/.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
