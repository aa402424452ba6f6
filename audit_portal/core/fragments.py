"""Markup rendered once for the same data: ``{% memo %}`` (``templatetags/memo.py``).

At city scale a list page's time goes to Django's template engine writing its rows (20–60 ms for
25 rows), not to the database. Many requests write exactly the same rows: the city's staff open
the same first page of the risk dashboard or the ledger all day, and the data behind them changes
a few times an hour. ``{% memo rows today %}…{% endmemo %}`` keeps the markup of its block under
a digest of *what the block shows*: the values named in the tag (rows of model instances with
every field loaded, the related rows fetched with them, dataclasses, dates, numbers), the
language, the time zone and the template. Different data is a different digest, so nothing kept
is ever shown for other data; there is no time limit to tune and nothing to forget after a write.

The kept markup lives in each process's memory (``KEPT_BYTES`` at most, least recently used
dropped first): it is never shared between processes nor kept across a restart, so a new release
cannot show markup written by the old templates.

What the block shows must come from the named values: a block reading anything else (the user,
the clock, a value of the page's context not named) must name it too. Values must be read
before the block (``select_related``/``prefetch_related``): a related row loaded while the block
renders is not part of the digest.
"""

import dataclasses
import datetime
import decimal
import enum
import hashlib
import pickle
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.core.paginator import Page
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Markup kept per process, in characters (about bytes: the pages are mostly ASCII markup).
KEPT_BYTES = 16 * 1024 * 1024
_SCALARS = (str, int, float, bool, decimal.Decimal, datetime.date, datetime.time, uuid.UUID)
# The exact types most values have, checked first (a set lookup, not isinstance).
_SCALAR_TYPES = frozenset({*_SCALARS, datetime.datetime, type(None)})


class Unsupported(TypeError):
    """A value the digest cannot describe faithfully (its repr would hide its content)."""


def _plain(value, seen: set):
    """``value`` as nested tuples of plain values (what pickle writes in C, fast)."""
    if type(value) in _SCALAR_TYPES or isinstance(value, _SCALARS):
        return value
    if isinstance(value, models.Model):
        return _plain_instance(value, seen)
    if isinstance(value, list | tuple | models.QuerySet | Page):
        return ("[", *(_plain(item, seen) for item in value))
    if isinstance(value, Promise):  # a lazy translation: its text in the current language
        return str(value)
    if isinstance(value, enum.Enum):
        return ("enum", type(value).__qualname__, value.name)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__qualname__,
            *(_plain(getattr(value, field.name), seen) for field in dataclasses.fields(value)),
        )
    if isinstance(value, dict):
        return ("{", *((_plain(k, seen), _plain(v, seen)) for k, v in value.items()))
    raise Unsupported(f"{{% memo %}} cannot describe a {type(value).__qualname__}")


def _plain_instance(instance: models.Model, seen: set) -> tuple:
    """Every field loaded on the instance (annotations included), the rows fetched with it
    (``select_related``) and its prefetched lists."""
    marker = id(instance)
    if marker in seen:
        return ("ref", instance._meta.label, instance.pk)
    seen.add(marker)
    fields = vars(instance)
    state = instance._state
    return (
        instance._meta.label,
        tuple(fields),
        tuple(
            v if type(v) in _SCALAR_TYPES else _plain(v, seen)
            for k, v in fields.items()
            if k[0] != "_"
        ),
        tuple((name, _plain(related, seen)) for name, related in state.fields_cache.items()),
        tuple(
            (name, _plain(list(items), seen))
            for name, items in fields.get("_prefetched_objects_cache", {}).items()
        ),
    )


def digest(*values) -> str:
    """A digest of ``values`` as the markup shows them, in the current language and time zone
    (``|localtime`` writes a moment in it)."""
    plain = (get_language(), timezone.get_current_timezone_name(), _plain(values, set()))
    return hashlib.blake2b(pickle.dumps(plain, protocol=5), digest_size=20).hexdigest()


class _Kept:
    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.items: OrderedDict[str, SafeString] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> SafeString | None:
        with self.lock:
            markup = self.items.get(key)
            if markup is not None:
                self.items.move_to_end(key)
            return markup

    def put(self, key: str, markup: SafeString) -> None:
        if len(markup) > self.limit // 8:
            return  # one huge fragment would push out everything else
        with self.lock:
            if key in self.items:
                return
            self.items[key] = markup
            self.size += len(markup)
            while self.size > self.limit:
                _key, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


kept = _Kept(KEPT_BYTES)


def rendered(where: str, values: tuple, render: Callable[[], str]) -> SafeString:
    """The markup ``render`` writes for ``values`` at ``where`` (a template and a place in it),
    written once per process for the same values."""
    key = f"{where}|{digest(*values)}"
    markup = kept.get(key)
    if markup is None:
        markup = mark_safe(render())  # noqa: S308 - the template engine's own output
        kept.put(key, markup)
    return markup
