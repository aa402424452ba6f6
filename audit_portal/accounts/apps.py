from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "audit_portal.accounts"
    # Demo data (manage.py seed_demo): (order, seeder); seeders run in order across the apps.
    demo_seeds = [(10, "audit_portal.accounts.demo.seed")]
    # City-scale data (manage.py seed_scale): (order, seeder), likewise.
    scale_seeds = [(10, "audit_portal.accounts.scale.seed")]
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    role_permissions = {
        "admin": {
            "accounts.view_organisation",
            "accounts.add_organisation",
            "accounts.change_organisation",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
        },
        "staff": {"accounts.view_organisation"},
    }
    navigation = [
        (("admin", "staff", "supervisor", "institution"), _("Home"), "home", "home"),
    ]

    def ready(self) -> None:
        from audit_portal.accounts import signals  # noqa: F401
