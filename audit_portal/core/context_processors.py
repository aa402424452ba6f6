import functools

from django.apps import apps
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from audit_portal.core.files.selectors import WATCH_FILES, ready_count


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
    items = [
        {"label": label, "url": url, "active": False}
        for label, url in _entries(frozenset(keys), get_script_prefix())
    ]
    # Only the most specific entry is current: /institutions/issues/ is the ledger, not the
    # institution list at /institutions/.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}


@functools.cache
def _entries(keys: frozenset[str], script_prefix: str) -> tuple[tuple[object, str], ...]:
    """The (label, url) of the entries for a set of role keys: the URLs are reversed once per
    process, not on every page (the labels stay lazy, so each page shows them in its language).
    """
    entries = []
    for config in apps.get_app_configs():
        for roles, label, url_name in getattr(config, "navigation", ()):
            if not keys.intersection(roles):
                continue
            try:
                entries.append((label, reverse(url_name)))
            except NoReverseMatch:
                continue
    return tuple(entries)


def files_ready(request) -> dict:
    """The header's notice of files ready to download: counted (one query) only for a session
    that asked for a file or began with files waiting (``WATCH_FILES``), so everyone else's
    pages pay nothing for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.session.get(WATCH_FILES):
        return {}
    return {"files_ready": SimpleLazyObject(lambda: ready_count(user))}
