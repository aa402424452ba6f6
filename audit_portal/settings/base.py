"""Settings read from the environment.

Every value that differs between a laptop, CI and production comes from an environment variable;
the defaults are the safe ones (DEBUG off, secure cookies on) except the database, which defaults
to an embedded SQLite file under ``data/`` so that a fresh clone runs without any service.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

# Commands that only read or build code (migrations, translations, static files) sign nothing, so
# they run without a key: a throw-away one, never the same twice.
KEYLESS_COMMANDS = {
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "makemessages",
    "compilemessages",
    "collectstatic",
}

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105
    elif Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] in (
        [command] for command in KEYLESS_COMMANDS
    ):
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

# Personal data encrypted at rest (audit_portal/core/crypto.py): Fernet keys, the first encrypts
# and all decrypt (rotation: put a new key first, run ``manage.py rotate_field_encryption``, drop
# the old one), and the key of the blind indexes that keep encrypted values unique and findable.
# Derived from SECRET_KEY when DEBUG is on; required otherwise (``check --deploy``: core.E001).
# Back them up apart from the database: without them the encrypted values are lost.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_BLIND_INDEX_KEY = os.environ.get("FIELD_BLIND_INDEX_KEY", "")
# Keys the digests of encrypted values in the history's hash chain (core.audit_chain); never
# rotated. Derived from SECRET_KEY when not set.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address the system is reached at, for links in mail sent by background tasks (which have
# no request to take the host from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    # django-axes and django-tasks-db, named in Chinese in the admin (core/third_party_apps.py).
    "audit_portal.core.third_party_apps.AxesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "django_tasks",
    "audit_portal.core.third_party_apps.TasksDatabaseConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "audit_portal.core",
    "audit_portal.accounts",
    "audit_portal.security",
    "audit_portal.notices",
    "audit_portal.api",
    "inspections",
    "residents",
    "supervisors",
    "incidents",
    "openday",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files (an SVG opened on its own) carry them too.
    "csp.middleware.CSPMiddleware",
    "audit_portal.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "audit_portal.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit_portal.core.middleware.PrivateNoStoreMiddleware",
    # request.user.is_verified(): whether this session gave its second factor.
    "django_otp.middleware.OTPMiddleware",
    "audit_portal.core.middleware.RequestFactsMiddleware",
    # Logs a 403 answered to a signed-in user (after authentication, around every view).
    "audit_portal.security.middleware.RecordRefusalsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "audit_portal.accounts.middleware.SessionLifetimeMiddleware",
    # A session that owes its second factor reaches only the code (or enrolment) page.
    "audit_portal.accounts.two_factor.middleware.SecondFactorMiddleware",
    "audit_portal.notices.middleware.ForgetAfterWrites",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last: claims a form's one-time token in the same transaction as the view's work.
    "audit_portal.core.once.SubmitOnceMiddleware",
]

ROOT_URLCONF = "audit_portal.urls"
WSGI_APPLICATION = "audit_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "audit_portal.core.context_processors.navigation",
                "audit_portal.core.context_processors.files_ready",
                "audit_portal.notices.context_processors.header_counts",
            ],
            # {% once_token %} beside every {% csrf_token %}: a form is submitted once.
            "builtins": ["audit_portal.core.templatetags.once"],
        },
    },
]

# Django's templates, the inputs, textareas and selects written in Python
# (audit_portal/core/renderers.py).
FORM_RENDERER = "audit_portal.core.renderers.Renderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'audit_portal.sqlite3'}"),
        # Without persistent connections every PostgreSQL request pays a new connection.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite keeps one file; persistent connections gain nothing there.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Writers queue for the lock when their transaction begins (up to 20 s) instead of failing
    # with "database is locked" when a read inside it turns into a write.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes must come first: it refuses a locked-out username before any password check.
    "axes.backends.AxesStandaloneBackend",
    "audit_portal.accounts.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        # GB/T 22239 asks for complexity: three of upper, lower, digit and symbol.
        "NAME": "audit_portal.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": 3},
    },
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 minutes idle (the cookie and the server-side row expire together: each save moves
# both) and 12 hours in all (SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
# The idle limit is kept by SessionLifetimeMiddleware, which saves the session (moving its expiry)
# at most once a minute instead of on every request.
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", 60))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp: everything from this server, nothing inline, no eval, no plugins, never framed.
# The templates carry no style="" or <script> body (tests/core/test_security_headers.py walks
# them); the API documentation page alone widens it (audit_portal/api/docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# django-axes: five failures for one username lock it for 15 minutes, from any address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# The lock lasts 15 minutes from the fifth failure; tries during the lock do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# axes.W006 asks to lock by IP address too. Offices reach the system through a few NAT addresses,
# so an IP lock would let one mistyping clerk lock out a whole bureau; the lock is per username.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Axes's log lines name the username and the address (its default masks both); the password is
# masked by axes whatever this says. The security log (audit_portal.security) keeps the failures
# after axes has purged its attempt rows.
# A mistyped recovery code is nearly a valid one: axes keeps the posted form of a failure, so
# the second-factor code (audit_portal/accounts/two_factor) is masked there like the password.
AXES_SENSITIVE_PARAMETERS: list[str] = ["otp_token"]

# Reverse proxies in front of the site (nginx, a load balancer): the client's address is the
# TRUSTED_PROXY_COUNT-th from the right of X-Forwarded-For; 0 reads REMOTE_ADDR. One setting for
# axes, the public rate limits and the security log (audit_portal/security/addresses.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "audit_portal.security.addresses.client_address"

# Two-step verification (audit_portal/accounts/two_factor): staff and administrators must sign
# in with an authenticator app's code; others may choose to. The test settings switch the
# requirement off for the tests that are not about it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=True)
# The name the authenticator app shows beside the code.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "托养机构监管审核系统")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Official documents (PDFs, exported ledgers' names) are issued in Chinese whatever language
# the person producing them browses in (audit_portal/core/pdf.py).
OFFICIAL_LANGUAGE = "zh-hans"
# locale_overrides/: Chinese for third-party apps' admin strings (axes, task results); after
# locale/ so the project's own wording wins.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded evidence lives outside the static root and is only served through permission-checked
# views, never by a static URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# The cache holds the header counts, the home inbox, the charts and the API's rate counts. One
# shared cache (Redis) when the site runs as several processes, so that a write forgets a count
# for every process and a rate limit counts every request; each process's memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "audit_portal.core.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    # Sessions read from the shared cache, written through to the database: a signed-in page
    # reads its session without a query (~1.5 ms), and a logout or an ended session is gone
    # for every process at once. Only with a shared cache: each process's memory would keep a
    # session another process ended.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Mail goes to the console until an SMTP server is named (EMAIL_HOST).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "audit-portal@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "465"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "1") == "1"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and os.environ.get("EMAIL_USE_TLS", "0") == "1"
    EMAIL_TIMEOUT = 10

# Group robots: the server posts only to these hosts (enterprise WeChat, DingTalk), so an
# administrator's typo or a hostile address cannot make it post inside the network; plain http
# only to the hosts listed in the second setting (none in production).
NOTICES_ROBOT_HOSTS = frozenset(
    os.environ.get("NOTICES_ROBOT_HOSTS", "qyapi.weixin.qq.com,oapi.dingtalk.com").split(",")
)
NOTICES_ROBOT_HTTP_HOSTS = frozenset(
    filter(None, os.environ.get("NOTICES_ROBOT_HTTP_HOSTS", "").split(","))
)

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; the public pages need none.

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# The API under /api/v1/ (audit_portal/api/): tokens or the session, JSON only, the errors of
# audit_portal.api.errors, limits per token from the rules, the schema by drf-spectacular with
# its documentation page served from the vendored sidecar files (no CDN).
# Every list filter's empty choice reads "All" (全部), not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "audit_portal.api.authentication.TokenAuthentication",
        "audit_portal.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "audit_portal.api.permissions.Authenticated",
        "audit_portal.api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "audit_portal.api.throttles.TokenRateThrottle",
        "audit_portal.api.throttles.AnonymousRateThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "audit_portal.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "audit_portal.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "audit_portal.api.errors.handle",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Custody institution audit system API",
    "DESCRIPTION": "Read the records in your scope; file monthly reports, rectifications and "
    "initial incident reports. Authenticate with `Authorization: Bearer <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "IncidentKindEnum": "incidents.models.Kind",
        "InspectionKindEnum": "inspections.models.Inspection.Kind",
        "InspectionStatusEnum": "inspections.models.Inspection.Status",
    },
}

# Rule numbers an area may set differently (see audit_portal/rules.py): JSON in the environment.
AUDIT_RULES_OVERRIDES = os.environ.get("AUDIT_RULES", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO: noise in a server log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pypdf reports every repair of a damaged upload it reads (core/evidence.py).
        "pypdf": {"level": "ERROR"},
    },
}
