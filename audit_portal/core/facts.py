"""Reading a fact once where several parts of the work ask for it.

- ``FactStore``: facts read once within a scope (one ``Policy.allowed`` call, one request);
  outside any scope each read goes to the database, so a write is never followed by a stale read.
- ``counted``: an aggregate over a whole scope (a chart) counted at most once every few minutes,
  stamped with the time it was counted so the page can say so.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")


class FactStore:
    def __init__(self, name: str):
        self._facts: ContextVar[dict | None] = ContextVar(name, default=None)

    @contextmanager
    def scope(self) -> Iterator[None]:
        token = self._facts.set({})
        try:
            yield
        finally:
            self._facts.reset(token)

    def read(self, key: Hashable, read: Callable[[], T]) -> T:
        facts = self._facts.get()
        if facts is None:
            return read()
        if key not in facts:
            facts[key] = read()
        return facts[key]


def counted(key: str, seconds: int, count: Callable[[], dict]) -> dict:
    """``count()`` (a dict), kept in the cache for ``seconds`` under ``key``, with
    ``counted_at``: when it was counted."""
    found = cache.get(key)
    if found is None:
        found = {**count(), "counted_at": timezone.now()}
        cache.set(key, found, seconds)
    return found
