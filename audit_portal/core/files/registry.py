"""What each kind of file is built by: the apps register their builders, the shared base never
names them (it imports no domain app)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from audit_portal.core.files.runner import Progress
    from audit_portal.core.models import GeneratedFile


@dataclass(frozen=True)
class Output:
    """A built file: the name it is downloaded as, its media type and its content (bytes, or
    an open file the builder wrote, read from the start and closed once stored)."""

    filename: str
    content_type: str
    content: bytes | IO[bytes]


class BuildRefused(Exception):
    """The builder will not build this file (the requester may no longer see these records,
    the filters no longer hold): the message is shown to the owner as the reason."""


Builder = Callable[["GeneratedFile", "Progress"], Output]

_BUILDERS: dict[str, Builder] = {}
# Kinds whose files carry personal data (names, free text about people): each download is
# written to the security log.
_PERSONAL: set[str] = set()


def register_builder(kind: str, builder: Builder, *, personal_data: bool = False) -> None:
    """``builder(job, progress) -> Output`` builds the files of ``kind`` (``"<app>.<what>"``);
    ``personal_data`` when they carry personal data."""
    _BUILDERS[kind] = builder
    if personal_data:
        _PERSONAL.add(kind)
    else:
        _PERSONAL.discard(kind)


def unregister_builder(kind: str) -> None:
    _BUILDERS.pop(kind, None)
    _PERSONAL.discard(kind)


def carries_personal_data(kind: str) -> bool:
    return kind in _PERSONAL


def builder_for(kind: str) -> Builder:
    try:
        return _BUILDERS[kind]
    except KeyError:
        raise LookupError(f"no builder registered for files of kind {kind!r}") from None
