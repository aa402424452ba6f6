"""``{% once_token %}``: the hidden one-time token of a POST form (``audit_portal.core.once``).
A built-in tag (settings ``TEMPLATES`` ``builtins``), written beside each ``{% csrf_token %}``."""

from django import template
from django.utils.html import format_html

from audit_portal.core.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def once_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
