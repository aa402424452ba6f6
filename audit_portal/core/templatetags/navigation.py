"""``{% main_nav %}``: the menu's markup, written once per process for each menu.

The menu (``context_processors.navigation``) depends only on the entries a role sees, the entry
of the current page and the language; rendering its sections and links through the template
cost ~1.5 ms on every page. The markup is kept as ``{% memo %}`` keeps a block
(``audit_portal.core.fragments``), under a digest of those entries, and holds nothing about the
user beyond what they say.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from audit_portal.core.fragments import rendered

register = template.Library()

TEMPLATE = "includes/mainnav.html"


def _shown(groups: list[dict]) -> tuple:
    """What the menu's markup shows of its sections and entries (the language is part of
    every digest)."""
    return tuple(
        (
            group["key"],
            group["label"],
            group["active"],
            tuple((item["url"], item["label"], item["active"]) for item in group["items"]),
        )
        for group in groups
    )


@register.simple_tag(takes_context=True)
def main_nav(context) -> SafeString:
    groups = context.get("nav_groups") or []
    return rendered(
        TEMPLATE, (_shown(groups),), lambda: render_to_string(TEMPLATE, {"nav_groups": groups})
    )
