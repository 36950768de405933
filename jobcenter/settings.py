"""Settings for Jobcenter, read from the environment.

The defaults are the embedded demo: SQLite, synthetic data, fake national
services. Production sets JOBCENTER_ENV=production, which switches on every
transport-security setting and refuses to start without a real secret key
and allowed hosts. See docs/configuration.md for every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


JOBCENTER_ENV = os.environ.get("JOBCENTER_ENV", "demo")
if JOBCENTER_ENV not in {"demo", "test", "production"}:
    raise ImproperlyConfigured("JOBCENTER_ENV must be demo, test or production")
PRODUCTION = JOBCENTER_ENV == "production"

DEMO_SECRET_KEY = "demo-only-not-secret-jobcenter-0461-0751-do-not-use-in-production"
SECRET_KEY = os.environ.get("JOBCENTER_SECRET_KEY", "" if PRODUCTION else DEMO_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEMO_SECRET_KEY):
    raise ImproperlyConfigured("JOBCENTER_SECRET_KEY must be set to a long random value in production")

DEBUG = env_bool("JOBCENTER_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "JOBCENTER_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("JOBCENTER_ALLOWED_HOSTS must name the hosts the system is served on")
CSRF_TRUSTED_ORIGINS = env_list("JOBCENTER_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "jobcenter.tenancy",
    "jobcenter.audit",
    "jobcenter.citizens",
    "jobcenter.benefits",
    "jobcenter.events",
    "jobcenter.cases",
    "jobcenter.letters",
    "jobcenter.payments",
    "jobcenter.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, no-store for personal data, 405 for unknown methods.
    "jobcenter.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jobcenter.web.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A CPR number in a URL is refused before any view runs (docs/architecture.md).
    "jobcenter.audit.middleware.CprInUrlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jobcenter.audit.middleware.RequestContextMiddleware",
    "jobcenter.web.middleware.ApiErrorsAsProblemJsonMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jobcenter.urls"
WSGI_APPLICATION = "jobcenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobcenter.web.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# The embedded default is an SQLite file beside the project; production and CI
# set DATABASE_URL to PostgreSQL.
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "jobcenter.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("JOBCENTER_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default takes the demo's load (several caseworkers and the worker at once):
    # WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a transaction
    # begins, so a transaction that read first never fails with "database is locked" when it
    # comes to write (SQLite cannot wait there); and a writer waits up to `timeout` seconds for
    # the lock instead of failing. See docs/configuration.md.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("JOBCENTER_SQLITE_TIMEOUT_SECONDS", "20")),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity and login ---------------------------------------------------------
AUTH_USER_MODEL = "tenancy.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out user before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "web:login"

# Lockout: five failed attempts for the same user name lock it for 30 minutes.
# Locking by user name (not by IP) because a whole town hall shares one address.
AXES_FAILURE_LIMIT = int(os.environ.get("JOBCENTER_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jobcenter.web.views.locked_out"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = [
    # axes wants the IP address in the lockout key; a municipality's staff share
    # one address, so locking by IP would lock out a whole town hall. We lock by
    # user name, which no change of user agent or cookie can get around.
    "axes.W006",
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_NAME = "jobcenter_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "jobcenter.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Uploads go to disk as they arrive, with a running limit per file and a cap on files (docs/operations.md).
FILE_UPLOAD_HANDLERS = ["jobcenter.cases.attachments.LimitedUploadHandler"]
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("JOBCENTER_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("JOBCENTER_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind the municipality's TLS-terminating proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# OIDC login for the municipality's identity provider (MitID Erhverv broker).
# Off unless JOBCENTER_OIDC_ENABLED is set; the local login stays for the demo.
OIDC_ENABLED = env_bool("JOBCENTER_OIDC_ENABLED", False)
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
# Users are provisioned by an administrator; the identity provider only proves who they are.
OIDC_CREATE_USER = False
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "email")
OIDC_AUTHENTICATION_CALLBACK_URL = "web:oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/"
if OIDC_ENABLED:
    missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if missing:
        raise ImproperlyConfigured("OIDC is enabled but these settings are empty: " + ", ".join(missing))
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("jobcenter.tenancy.oidc.MunicipalityOIDCBackend")

# --- Language and time -------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "jobcenter" / "locale"]
LANGUAGE_COOKIE_NAME = "jobcenter_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static files: the DKFDS UI kit comes from npm (package.json) ------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production static files are served straight from the finders, so the
# demo needs no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Task queue: django-tasks with the database backend -----------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Logging: never a CPR number; see jobcenter.audit.logging -------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_cpr": {"()": "jobcenter.audit.logging.RedactCprFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_cpr"], "formatter": "plain"},
        # runserver's access log: every requested URL, so redacted like every other line.
        "django.server": {"class": "logging.StreamHandler", "filters": ["redact_cpr"], "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("JOBCENTER_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # WeasyPrint and fontTools narrate every step of every letter at INFO.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Jobcenter's own ------------------------------------------------------------------
# The two demo municipalities: Odense and Aarhus.
DEMO_MUNICIPALITY_CODES = ["0461", "0751"]

# National services: which implementation answers (docs/integrations.md). The
# defaults are the fakes; production names the real clients.
JOBCENTER_CPR_CLIENT = os.environ.get("JOBCENTER_CPR_CLIENT", "jobcenter.integrations.cpr.fake.FakeCprClient")
JOBCENTER_DIGITAL_POST_CLIENT = os.environ.get(
    "JOBCENTER_DIGITAL_POST_CLIENT", "jobcenter.integrations.digital_post.fake.FakeDigitalPostClient"
)
JOBCENTER_CPR_BASE_URL = os.environ.get("JOBCENTER_CPR_BASE_URL", "")
JOBCENTER_CPR_TIMEOUT_SECONDS = float(os.environ.get("JOBCENTER_CPR_TIMEOUT_SECONDS", "10"))
JOBCENTER_DIGITAL_POST_BASE_URL = os.environ.get("JOBCENTER_DIGITAL_POST_BASE_URL", "")
JOBCENTER_DIGITAL_POST_TIMEOUT_SECONDS = float(os.environ.get("JOBCENTER_DIGITAL_POST_TIMEOUT_SECONDS", "30"))
JOBCENTER_DFDG_CLIENT = os.environ.get("JOBCENTER_DFDG_CLIENT", "jobcenter.integrations.dfdg.fake.FakeDfdgClient")
JOBCENTER_DFDG_BASE_URL = os.environ.get("JOBCENTER_DFDG_BASE_URL", "")
JOBCENTER_DFDG_TIMEOUT_SECONDS = float(os.environ.get("JOBCENTER_DFDG_TIMEOUT_SECONDS", "10"))
# Payments per outbox delivery when a released run is reported to DFDG (docs/integrations.md).
JOBCENTER_DFDG_PAYMENT_PAGE_SIZE = int(os.environ.get("JOBCENTER_DFDG_PAYMENT_PAGE_SIZE", "500"))
# Attempts of an outbox delivery before the dead-letter list (docs/events.md).
JOBCENTER_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("JOBCENTER_OUTBOX_MAX_ATTEMPTS", "20"))
# A fake national service in production would register nobody, send no letter
# and report nothing while looking as if it did. Production refuses the fakes
# unless this says otherwise (a training or staging installation).
JOBCENTER_ALLOW_FAKE_SERVICES = env_bool("JOBCENTER_ALLOW_FAKE_SERVICES", not PRODUCTION)
# --- Grants and payments (docs/payments.md) ----------------------------------------
# Integrations: 'package.module.ClassName'; the fakes by default (demo and tests).
JOBCENTER_EINDKOMST_CLIENT = os.environ.get(
    "JOBCENTER_EINDKOMST_CLIENT", "jobcenter.integrations.eindkomst.fake.FakeIncomeRegister"
)
JOBCENTER_NEMKONTO_CLIENT = os.environ.get(
    "JOBCENTER_NEMKONTO_CLIENT", "jobcenter.integrations.nemkonto.fake.FakePaymentService"
)
# Where the fake NemKonto writes payment files, and where runs stage them before hand-over.
JOBCENTER_NEMKONTO_OUTBOX = os.environ.get("JOBCENTER_NEMKONTO_OUTBOX", str(BASE_DIR / "var" / "nemkonto"))
JOBCENTER_PAYMENT_FILES_DIR = os.environ.get("JOBCENTER_PAYMENT_FILES_DIR", str(BASE_DIR / "var" / "payment-files"))
# A municipality's own payment day, e.g. "0461=25,0751=last"; default: the last bank day of the month.
JOBCENTER_PAYMENT_DAYS = dict(item.split("=", 1) for item in env_list("JOBCENTER_PAYMENT_DAYS", []) if "=" in item)
# The debtor (the municipality's account) in pain.001 files.
JOBCENTER_PAYMENT_DEBTOR_IBAN = os.environ.get("JOBCENTER_PAYMENT_DEBTOR_IBAN", "DK5000400440116243")
JOBCENTER_PAYMENT_DEBTOR_BIC = os.environ.get("JOBCENTER_PAYMENT_DEBTOR_BIC", "DABADKKK")
# Grants per chunk of a release: each chunk is one database transaction.
JOBCENTER_PAYMENT_CHUNK_SIZE = int(os.environ.get("JOBCENTER_PAYMENT_CHUNK_SIZE", "10000"))
# Processes that pay a release's chunks in parallel (PostgreSQL only; forked from the releasing process).
JOBCENTER_PAYMENT_RELEASE_WORKERS = int(os.environ.get("JOBCENTER_PAYMENT_RELEASE_WORKERS", "1"))
# Processes that compute a trial run's shares of the citizens in parallel (PostgreSQL only; forked likewise).
JOBCENTER_PAYMENT_TRIAL_WORKERS = int(os.environ.get("JOBCENTER_PAYMENT_TRIAL_WORKERS", "1"))
# --- Background tasks: retries and leases (events/background.py, docs/operations.md) ----------
# Attempts of a failing task in a row before it waits for a person on the operations page.
JOBCENTER_TASK_MAX_ATTEMPTS = int(os.environ.get("JOBCENTER_TASK_MAX_ATTEMPTS", "5"))
# The first retry's delay; each further one doubles, at most an hour apart.
JOBCENTER_TASK_RETRY_SECONDS = int(os.environ.get("JOBCENTER_TASK_RETRY_SECONDS", "30"))
# A long task (a release, specification letters) not heard from for this long lost its worker.
JOBCENTER_TASK_LEASE_SECONDS = int(os.environ.get("JOBCENTER_TASK_LEASE_SECONDS", "120"))
