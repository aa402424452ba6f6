"""The open day's date for the pages, from the rules (DOMAIN §6: 19 June unless an area sets
another day)."""

from django import template
from django.utils import dateformat
from django.utils.translation import pgettext

from openday.models import open_day

register = template.Library()

# A leap year, so that an area may keep its open day on 29 February; the year is never shown.
_ANY_YEAR = 2000


@register.simple_tag
def open_day_date(style: str = "short") -> str:
    """The open day's month and day as the catalogue writes them: "19 June" in English; in
    Chinese "6·19" (``short``, as in "6·19开放日") or "6月19日" (``long``, in a sentence)."""
    if style == "long":
        # Translators: a date format (Django's "date" filter) for the open day in a sentence.
        fmt = pgettext("open day date, long", "j F")
    else:
        # Translators: a date format (Django's "date" filter) for the open day in a title.
        fmt = pgettext("open day date, short", "j F")
    return dateformat.format(open_day(_ANY_YEAR), fmt)
