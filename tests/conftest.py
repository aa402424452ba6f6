import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone, translation

from tests import shared_state
from tests.shared_state import SharedStates, shared, state_of
from tests.sign_in import sign_in
from tests.unrendered import seed_demo
from tests.world import World, build_world


def pytest_collection_modifyitems(config, items):
    """Group the tests by the shared state they run on, keeping pytest-randomly's order within
    each group: no state first, then each state's tests together (see ``tests/shared_state``)."""
    ranks: dict = {None: 0}
    for item in items:
        ranks.setdefault(state_of(item), len(ranks))
    items.sort(key=lambda item: ranks[state_of(item)])


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture of the test: its per-test transaction must open inside the state's.
    shared_state.pending = state_of(item)
    if shared_state.current is not None:
        shared_state.current.switch(shared_state.pending)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The tables come from the models (``--no-migrations``); the rows the one data migration
    writes (the default checklist) are written the same way here."""
    from importlib import import_module

    from django.apps import apps

    with django_db_blocker.unblock():
        import_module("inspections.migrations.0003_default_checklist").create_default(apps, None)


def restore_first_state() -> None:
    """Put back what a new database holds (content types, permissions, guardian's anonymous
    user: the post-migrate signal's rows; the default checklist) after a test that emptied
    every table (a live server's)."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    import_module("inspections.migrations.0003_default_checklist").create_default(apps, None)


def _empties_the_tables(item) -> bool:
    if {"transactional_db", "live_server"} & set(item.fixturenames):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A live-server or transaction test runs outside a transaction, and pytest-django empties
    every table after it, the rows every new database holds (permissions, the default checklist)
    included: they are put back for the tests that follow."""
    yield
    # After the last test the test databases are gone already: nothing to put back.
    if nextitem is None or not _empties_the_tables(item):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        restore_first_state()


@pytest.fixture(scope="session")
def _shared_states(django_db_setup, django_db_blocker):
    states = shared_state.current = SharedStates(blocker=django_db_blocker)
    states.switch(shared_state.pending)
    yield states
    states.discard()
    shared_state.current = None


@pytest.fixture
@shared(build_world)
def world(_shared_states, db) -> World:
    """The shared test world (``tests/world.py``), built once per test process."""
    return _shared_states.copy(build_world)


@pytest.fixture
@shared(seed_demo)
def demo(_shared_states, db) -> None:
    """The database as ``manage.py seed_demo`` leaves it, seeded once per test process."""
    _shared_states.copy(seed_demo)


@pytest.fixture
def client_for(world):
    """``client_for("county_a_staff")`` — a test client logged in as that persona."""

    def make(persona: str) -> Client:
        client = Client()
        user = world.users[persona]
        return sign_in(client, user) if user is not None else client

    return make


@pytest.fixture(autouse=True)
def _english_off(settings):
    # Pages render in the product's first language unless a test says otherwise.
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _nothing_carried_over():
    # Nothing cached by one test (rate limits, public PDFs, ...) is seen by the next, and no
    # language or time zone a test (or a request) activated stays active for the next one.
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture
def assigned(world):
    """The supervisor persona's group assigned to institution A (access grants included)."""
    from supervisors import services

    services.group_assign(
        group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
    )
    return world
