from django.urls import path

from audit_portal.accounts import views
from audit_portal.accounts.two_factor import views as two_factor

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("two-step/", two_factor.account, name="two_factor"),
    path("two-step/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-step/set-up/", two_factor.enrol, name="two_factor_enrol"),
    path("two-step/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("two-step/turn-off/", two_factor.turn_off, name="two_factor_turn_off"),
    path("two-step/reset/", two_factor.reset, name="two_factor_reset"),
]
