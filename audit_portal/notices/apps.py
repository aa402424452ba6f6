from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """What reaches people: the to-do inbox, notifications and their deliveries (in-app, mail,
    group robots), the daily reminders and the personal calendar feed.

    The domain apps contribute through their AppConfig, as they do the home panels:
    ``inbox_sources``, ``reminder_sources`` and ``calendar_sources`` (see ``registry``).
    """

    name = "audit_portal.notices"
    label = "notices"
    verbose_name = _("Notifications")

    # The to-do inbox comes first on every home page: what waits for me is the day's first
    # question (notices is installed before the domain apps, so its panel leads).
    home_panels = [
        (
            ("admin", "staff", "supervisor", "institution"),
            "notices/panels/inbox.html",
            "audit_portal.notices.selectors.home_panel",
        ),
    ]
