import functools

from django.apps import apps
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext_lazy

from audit_portal.core.files.selectors import WATCH_FILES, ready_count

# The menu's sections, in the order they appear. An app names the section of each of its entries
# (the fourth item of a ``navigation`` entry); an app may add a section of its own with
# ``navigation_groups = [(key, label)]`` on its AppConfig. Entries without a section, and
# sections holding a single entry for a user, show as plain links.
GROUPS = {
    "home": pgettext_lazy("menu section", "Home"),
    "registry": pgettext_lazy("menu section", "Registry"),
    "inspections": pgettext_lazy("menu section", "Inspections"),
    "reports": pgettext_lazy("menu section", "Reports"),
    "residents": pgettext_lazy("menu section", "Residents"),
    "supervisors": pgettext_lazy("menu section", "Supervisors"),
    "incidents": pgettext_lazy("menu section", "Incidents"),
    "openday": pgettext_lazy("menu section", "Open day"),
    "system": pgettext_lazy("menu section", "System"),
}


def navigation(request) -> dict:
    """The navigation bar for the current user's role, grouped into sections.

    Apps declare entries as ``navigation`` on their AppConfig: tuples of
    ``(roles, label, url name[, section[, other url names]])``; an entry shows when the user's
    role is listed, or for staff ``staff:<organisation kind>`` (e.g. ``staff:city``). The other
    url names are pages that belong to the entry without sharing its path (a rectification
    decision belongs to the issue ledger, not to the institution list its path starts with).

    ``nav_items`` is the flat list of entries; ``nav_groups`` the sections in menu order, each
    ``{"key", "label", "items", "active"}``.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    role = "admin" if user.is_admin else user.role
    # "staff:<organisation kind>" limits an entry to the staff of one kind of organisation.
    keys = {role, f"{role}:{user.organisation_kind}"} if user.organisation_id else {role}
    items = [
        {"label": label, "url": url, "group": group, "views": views, "active": False}
        for label, url, group, views in _entries(frozenset(keys), get_script_prefix())
    ]
    current = _current(items, request)
    if current is not None:
        current["active"] = True
    return {"nav_items": items, "nav_groups": _grouped(items)}


def _current(items: list[dict], request) -> dict | None:
    """The one entry the page belongs to: the entry naming the page's view, else the entry
    with the longest matching path (/institutions/issues/ is the ledger, not the institution
    list at /institutions/)."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else None
    if view_name:
        for item in items:
            if view_name in item["views"]:
                return item
    matching = [item for item in items if request.path.startswith(item["url"])]
    if not matching:
        return None
    return max(matching, key=lambda item: len(item["url"]))


def _grouped(items: list[dict]) -> list[dict]:
    labels = _group_labels()
    order = {key: index for index, key in enumerate(labels)}
    groups: dict[str, dict] = {}
    for item in items:
        key = item["group"] or item["url"]
        group = groups.setdefault(
            key,
            {"key": key, "label": labels.get(item["group"], item["label"]), "items": []},
        )
        group["items"].append(item)
    for group in groups.values():
        group["active"] = any(item["active"] for item in group["items"])
    # Known sections in their order; ungrouped entries keep their place after them.
    return sorted(groups.values(), key=lambda group: order.get(group["key"], len(order)))


@functools.cache
def _group_labels() -> dict:
    labels = dict(GROUPS)
    for config in apps.get_app_configs():
        for key, label in getattr(config, "navigation_groups", ()):
            labels.setdefault(key, label)
    return labels


@functools.cache
def _entries(
    keys: frozenset[str], script_prefix: str
) -> tuple[tuple[object, str, str | None, frozenset[str]], ...]:
    """The (label, url, section, view names) of the entries for a set of role keys: the URLs
    are reversed once per process, not on every page (the labels stay lazy, so each page shows
    them in its language).
    """
    entries = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "navigation", ()):
            roles, label, url_name = entry[:3]
            group = entry[3] if len(entry) > 3 else None
            views = frozenset((url_name, *(entry[4] if len(entry) > 4 else ())))
            if not keys.intersection(roles):
                continue
            try:
                entries.append((label, reverse(url_name), group, views))
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
