from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from audit_portal.accounts.forms import LoginForm
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            SecurityEvent.Kind.PASSWORD_CHANGED,
            request=self.request,
            target=f"user {self.request.user.pk}",
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
