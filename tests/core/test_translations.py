from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    path
    for folder in (
        "locale",
        "audit_portal",
        "inspections",
        "residents",
        "supervisors",
        "incidents",
        "openday",
    )
    for path in (ROOT / folder).glob("**/zh_Hans/LC_MESSAGES/django.po")
)


def test_there_is_a_chinese_catalogue():
    assert ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_a_chinese_translation(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (needs review): {fuzzy}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_reads_as_its_own_catalogue_says(path):
    """Django merges every catalogue into one: for a message in two of them (or in Django's
    own), the first wins. A message that means different things in two places needs a context
    (``pgettext``); otherwise the app would show the other app's wording."""
    from django.utils import translation

    catalogue = polib.pofile(str(path))
    wrong = []
    with translation.override("zh-hans"):
        for entry in catalogue.translated_entries():
            if entry.msgid_plural:
                continue
            if entry.msgctxt:
                shown = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = translation.gettext(entry.msgid)
            if shown != entry.msgstr:
                wrong.append(f"{entry.msgctxt or ''}|{entry.msgid!r}: {entry.msgstr} → {shown}")
    assert not wrong, "\n".join(wrong)
