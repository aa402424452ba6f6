"""Nothing personal goes public: free text written for publication is checked for identity
numbers, phone numbers and the names of people on record before it can be saved or approved.

The check names what it found (masked, so the warning itself does not repeat the number) so
the writer can find it in the text. The names come from the apps that keep people on record:
each registers a source (``register_name_source``) answering which of a text's candidate
names it holds — one indexed query per source, however many people are on record.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit_portal.core.validators import is_valid_id_number

# 18-character numbers (the last may be X) and the old 15-digit ones, not inside a longer run.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mobile numbers (11 digits from 13x to 19x) with optional separators, and landlines with an
# area code (010-12345678, 0871 6543210).
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}[\s-]?\d{7,8})(?!\d)")
_HAN = re.compile(r"[\u4e00-\u9fff]+")

NameSource = Callable[[set[str]], Iterable[str]]
_name_sources: list[NameSource] = []


def register_name_source(source: NameSource) -> None:
    """``source(candidates)`` answers which of the candidate names (2–4 Chinese characters
    taken from the text) belong to people on record."""
    if source not in _name_sources:
        _name_sources.append(source)


@dataclass(frozen=True)
class Finding:
    kind: str
    shown: str

    def __str__(self) -> str:
        return f"{self.kind}{self.shown}"


def _mask_digits(value: str) -> str:
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def _mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1)


def name_candidates(text: str) -> set[str]:
    """Every run of 2–4 Chinese characters in ``text``: the places a name could be."""
    candidates: set[str] = set()
    for run in _HAN.findall(text):
        for size in (2, 3, 4):
            candidates.update(run[i : i + size] for i in range(len(run) - size + 1))
    return candidates


def personal_data_in(text: str) -> list[Finding]:
    """What in ``text`` must not be published, in the order found."""
    text = text or ""
    findings: list[Finding] = []
    for match in _ID.finditer(text):
        value = match.group(1).upper()
        # A valid 18-character number, or any 15-digit one (the old format has no check).
        if len(value) == 15 or is_valid_id_number(value):
            findings.append(Finding(_("an identity number: "), _mask_digits(value)))
    taken = {m.span() for m in _ID.finditer(text)}
    for pattern in (_MOBILE, _LANDLINE):
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in taken):
                continue
            findings.append(Finding(_("a phone number: "), _mask_digits(match.group(1))))
    candidates = name_candidates(text)
    if candidates:
        names: set[str] = set()
        for source in _name_sources:
            names.update(source(candidates))
        for name in sorted(names, key=text.find):
            findings.append(Finding(_("the name of a person on record: "), _mask_name(name)))
    return findings


def require_publishable(text: str, *, field: str | None = None, where: str = "") -> None:
    """Refuse ``text`` for publication when it holds personal data, naming what was found."""
    findings = personal_data_in(text)
    if not findings:
        return
    found = _("; ").join(map(str, findings))
    if where:
        message = _(
            "%(where)s: this text is published and must not hold personal data; it contains "
            "%(found)s. Remove it and save again."
        ) % {"where": where, "found": found}
    else:
        message = _(
            "This text is published and must not hold personal data; it contains %(found)s. "
            "Remove it and save again."
        ) % {"found": found}
    raise ValidationError({field: [message]} if field else message, code="personal_data")
