"""The records a journey starts from: the shared test world (``tests/world.py``) built in the
live server's database, with the capabilities the journey is about left out, so that the journey
itself makes them through the pages."""

from unittest import mock

from tests import world as shared


def world_without(*modules: str) -> shared.World:
    """``build_world()`` without the extensions defined in ``tests.<module>.world``."""
    kept = [
        extend
        for extend in shared.WORLD_EXTENSIONS
        if not any(extend.__module__ == f"tests.{module}.world" for module in modules)
    ]
    with mock.patch.object(shared, "WORLD_EXTENSIONS", kept):
        return shared.build_world()
