import pytest

from audit_portal.core.files import runner
from audit_portal.core.files.registry import register_builder, unregister_builder
from tests.core.file_helpers import BUILDERS
from tests.factories import UserFactory


@pytest.fixture
def file_builders(monkeypatch):
    """The test builders registered, and every progress report written (none skipped)."""
    for kind, builder in BUILDERS.items():
        register_builder(kind, builder)
    monkeypatch.setattr(runner.Progress, "min_interval", 0)
    yield
    for kind in BUILDERS:
        unregister_builder(kind)


@pytest.fixture
def alice():
    return UserFactory(username="alice", full_name="李敏")


@pytest.fixture
def bob():
    return UserFactory(username="bob", full_name="王强")
