"""Database states shared by many tests, each built once per test process instead of per test.

A fixture marked ``@shared(build)`` (the ``world``, the seeded ``demo``, a module's own world
built under a frozen clock) gives its tests the records that ``build()`` makes. The first test of
a process that needs a state opens an outer transaction and builds it there; each test then runs
inside pytest-django's per-test transaction *within* it, which is rolled back after the test, so
every test starts from the same records, exactly as Django's ``TestCase.setUpTestData`` does for a
class. When a test needs another state, or none, the outer transaction is rolled back first: a
test that asks for no state never sees one.

Python objects are shared too, so the fixture hands each test a deep copy of what ``build()``
returned (what Django's ``TestData`` does): a test may change them freely. A value with a
``lazy_copy()`` method (the ``World``) copies each of its parts when the test first reads it.

The collection hook in ``tests/conftest.py`` groups the tests by state after pytest-randomly has
shuffled them (random order within each group), and pytest-xdist hands each worker its tests in
that order, so each worker builds each state about once.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Model

Build = Callable[[], object]


def shared(build: Build):
    """Mark a fixture function as reading the shared state that ``build`` makes."""

    def mark(func):
        func.shared_state = build
        return func

    return mark


def state_of(item) -> Build | None:
    """The shared state a collected test runs on (``None``: an empty database)."""
    names = item.fixturenames
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return None  # these empty the tables themselves: no outer transaction may be open
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return None
    definitions = item._fixtureinfo.name2fixturedefs
    for name in names:
        fixturedefs = definitions.get(name)
        if fixturedefs:
            build = getattr(fixturedefs[-1].func, "shared_state", None)
            if build is not None:
                return build
    return None


@dataclass
class SharedStates:
    """The state this test process has built (at most one at a time) and its transaction."""

    blocker: object
    build: Build | None = None
    value: object = None
    _atomic: object = None

    def switch(self, build: Build | None) -> None:
        if build is self.build:
            return
        self.discard()
        if build is None:
            return
        with self.blocker.unblock():
            if connections["default"].in_atomic_block:
                raise RuntimeError(
                    "a shared test state must be built before the test's own transaction opens"
                )
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                self.value = build()
                # The state's deferred foreign-key checks, done once here: each test's teardown
                # checks the constraints (Django's TestCase), and on PostgreSQL checks queued
                # before the test's savepoint were run again by every test (~8 ms each).
                connections["default"].check_constraints()
            except BaseException:
                self._rollback()
                raise
            self.build = build

    def discard(self) -> None:
        if self._atomic is not None:
            with self.blocker.unblock():
                self._rollback()

    def copy(self, build: Build):
        if build is not self.build:
            raise RuntimeError(f"the test runs on {self.build!r}, not on {build!r}")
        lazy_copy = getattr(self.value, "lazy_copy", None)
        return lazy_copy() if lazy_copy is not None else fresh_copy(self.value)

    def _rollback(self) -> None:
        atomic, self._atomic = self._atomic, None
        self.build, self.value = None, None
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


# Values shared, never changed in place: what a copy may hand out as it is.
_IMMUTABLE = frozenset(
    {str, int, float, bool, bytes, type(None), decimal.Decimal, uuid.UUID}
    | {datetime.date, datetime.datetime, datetime.time, datetime.timedelta}
)


def fresh_copy(value, memo: dict | None = None):
    """``copy.deepcopy`` of a shared state, several times faster on what states hold (model
    instances, dataclasses, containers): every test of a process copies its state, so the
    generic path (``__reduce_ex__`` for each instance and each field value) cost ~40% of a
    permission-matrix case. Other types go through ``copy.deepcopy`` with the same memo."""
    memo = {} if memo is None else memo
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    found = memo.get(id(value))
    if found is not None:
        return found
    if kind is list:
        new = memo[id(value)] = []
        new.extend(fresh_copy(item, memo) for item in value)
    elif kind is dict:
        new = memo[id(value)] = {}
        for key, item in value.items():
            new[fresh_copy(key, memo)] = fresh_copy(item, memo)
    elif kind is tuple:
        new = memo[id(value)] = tuple(fresh_copy(item, memo) for item in value)
    elif isinstance(value, Model) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        new = memo[id(value)] = kind.__new__(kind)
        attributes = value.__dict__
        if isinstance(value, Model):
            state = copy.copy(attributes["_state"])
            state.fields_cache = fresh_copy(value._state.fields_cache, memo)
            attributes = {name: item for name, item in attributes.items() if name != "_state"}
            new.__dict__["_state"] = state
        for name, item in attributes.items():
            new.__dict__[name] = fresh_copy(item, memo)
    else:
        return copy.deepcopy(value, memo)
    copy._keep_alive(value, memo)  # as deepcopy does: the ids in the memo stay unique
    return new


# The states of this test process: created by the ``_shared_states`` fixture of
# ``tests/conftest.py`` once the test database exists.
current: SharedStates | None = None
# The state the test being set up needs, for the fixture to build when it first runs.
pending: Build | None = None
