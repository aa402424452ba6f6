"""``{% main_nav %}``: the menu's markup, rendered once per process for each menu.

The menu (``context_processors.navigation``) depends only on the entries a role sees, the entry
of the current page and the language; rendering its sections and links through the template
cost ~1.5 ms on every page. The markup is kept for each such menu (a few dozen per process) and
holds nothing about the user beyond what those three say.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

TEMPLATE = "includes/mainnav.html"
# Menus kept per process: roles × organisation kinds × current entries × languages is a few
# hundred at most; the bound keeps an unforeseen key from growing the memory.
KEPT = 512
_rendered: dict[tuple, SafeString] = {}


def _key(groups: list[dict]) -> tuple:
    return (
        get_language(),
        tuple(
            (
                group["key"],
                str(group["label"]),
                group["active"],
                *tuple(
                    (item["url"], str(item["label"]), item["active"]) for item in group["items"]
                ),
            )
            for group in groups
        ),
    )


@register.simple_tag(takes_context=True)
def main_nav(context) -> SafeString:
    groups = context.get("nav_groups") or []
    key = _key(groups)
    html = _rendered.get(key)
    if html is None:
        html = SafeString(render_to_string(TEMPLATE, {"nav_groups": groups}))
        if len(_rendered) >= KEPT:
            _rendered.clear()
        _rendered[key] = html
    return html
