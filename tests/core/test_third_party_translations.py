"""The admin sections of third-party apps read in Chinese: login attempts (django-axes) and
task results (django-tasks), from locale_overrides/."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale_overrides" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_overrides_are_on_the_locale_paths_after_the_project_s_own():
    paths = [Path(path) for path in settings.LOCALE_PATHS]
    assert paths.index(CATALOGUE.parents[2]) > paths.index(Path(settings.BASE_DIR) / "locale")


def test_every_override_is_translated_and_shown():
    catalogue = polib.pofile(str(CATALOGUE))
    assert not catalogue.untranslated_entries()
    with translation.override("zh-hans"):
        for entry in catalogue:
            if entry.msgctxt:
                shown = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = translation.gettext(entry.msgid)
            assert shown == entry.msgstr, entry.msgid


@pytest.mark.django_db
def test_the_admin_lists_read_in_chinese(world, client_for):
    client = client_for("admin")
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "访问尝试" in attempts and "Access attempts" not in attempts
    results = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert results.status_code == 200
    html = results.content.decode()
    assert "任务结果" in html and "Task Result" not in html


@pytest.mark.django_db
def test_the_admin_names_their_sections_in_chinese(world, client_for):
    index = client_for("admin").get(reverse("admin:index")).content.decode()
    assert "登录锁定" in index and "后台任务" in index
    assert "Axes" not in index and "Tasks Database Backend" not in index
