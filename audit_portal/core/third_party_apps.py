"""Third-party apps under names their administrators read: the admin site titles a section by
its app's ``verbose_name``, which django-axes and django-tasks-db leave untranslated."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lockouts")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background work")
