"""A test client signed in as a user, without the sign-in's own work.

``Client.force_login`` runs ``django.contrib.auth.login``: it saves ``last_login`` (a user change,
so a history row sealed into the audit chain), records a security event and checks for files
waiting, ~11 ms a call; the permission matrix alone signs in about 2,000 times. Most tests need
a session that is already signed in, as a user who signed in earlier has: this writes that
session (what ``login`` leaves in it, the second-factor flag included) and hands its cookie to
the client. Tests of signing in itself go through the login page or ``force_login``."""

from functools import cache
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.test import Client
from django.utils import timezone

from audit_portal.accounts.middleware import SESSION_STARTED_KEY
from audit_portal.accounts.models import User
from audit_portal.accounts.two_factor.services import PENDING_SESSION_KEY, has_second_factor


@cache
def _backend() -> str:
    # As ``Client.force_login``: the first backend that can load a user.
    return next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )


def sign_in(client: Client, user: User) -> Client:
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = _backend()
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_STARTED_KEY] = timezone.now().timestamp()
    if has_second_factor(user):
        session[PENDING_SESSION_KEY] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def session_for(user: User) -> str:
    """The key of a new signed-in session of ``user`` (for a browser's cookie)."""
    return sign_in(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
