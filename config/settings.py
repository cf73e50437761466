"""Vänmatch settings: one module, read from the environment.

With nothing set, the service runs on embedded defaults: SQLite in ``data/`` and a
Celery broker and result store that need no server. With ``DATABASE_URL`` and
``CELERY_BROKER_URL`` set, it runs on PostgreSQL and Redis. See the configuration
reference in README.md.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("VANMATCH_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set unless DEBUG=true")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "accounts",
    "coordinator",
    "worker",
]
# The quick start's demo data (demo/): never installed in production.
if DEBUG:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionTimeouts",
    "accounts.middleware.RefusedAccessLog",
    "accounts.two_factor.RequireTwoFactor",
    "accounts.middleware.ContentSecurityPolicy",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "worker.context_processors.worker",
            ]
        },
    }
]
# Forms render as <div>s (Django 5.2 ties help and errors to each field with aria-describedby
# and marks invalid fields with aria-invalid); templates/django/forms/ adjusts the markup.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    _db["CONN_HEALTH_CHECKS"] = True
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "vanmatch.sqlite3",
        # WAL lets the web process read while the worker writes; a busy timeout
        # makes a writer wait for the other instead of failing at once.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out address and account go no further
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Sign-up, e-mail verification and password reset (django-allauth). Anyone may sign up,
# and what they sign up as is a volunteer; staff come by invitation (accounts/invitations).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Who has signed up but not yet applied (sent on to the volunteer application): the domain's rule,
# named here so that accounts never imports the domain.
VANMATCH_NEEDS_APPLICATION = "coordinator.permissions.needs_volunteer_application"
ACCOUNT_FORMS = {
    "login": "accounts.forms.VanmatchLoginForm",
    "signup": "accounts.forms.VanmatchSignupForm",
    "reset_password": "accounts.forms.VanmatchResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
# How allauth names a person ("Du har loggat in som ..."): her first name or her address, never
# the username she never chose.
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link scanner in a mail filter must not confirm for the person
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Vänmatch: "
# Lockout (django-axes): 5 failed log-ins for one account from one address lock that pair out
# for 15 minutes, on the log-in page and the API token alike; a success resets the count. Keyed
# on account and address together, so that someone who knows a coordinator's address cannot
# lock her out from her own office; allauth's rate limit below throttles any one address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.signals.login_identifier"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip",
    # Sign-ups per address; the load test (bench/load/) raises it, as all its users share one address.
    "signup": env_str("VANMATCH_SIGNUP_RATE", "20/m/ip"),
    "confirm_email": "1/3m/key",
}
# Two-factor authentication (allauth.mfa): an authenticator app's codes, with recovery codes for
# a lost phone. Required of org admins, coordinators, data protection officers and superusers
# (accounts/two_factor.py); anyone else may turn it on.
MFA_ADAPTER = "accounts.adapter.TwoFactorAdapter"
MFA_FORMS = {
    "activate_totp": "accounts.forms.PendingSecretActivateTOTPForm",
    "authenticate": "accounts.forms.LockingAuthenticateForm",
    "reauthenticate": "accounts.forms.LockingReauthenticateForm",
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300  # seconds a password counts as just given (exports, erasure)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Vänmatch"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side: a phone's clock a little off still works
# Whoever holds the password at a first log-in sets up the app; the owner is e-mailed when an
# app is set up or removed, the password or the address changed, so a stranger's doing is seen.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Adding or changing an e-mail address (and the other account settings) asks for the password
# (or the code) again: an unattended session cannot slip in an address to reset the password to.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Asked again, she gives her password, or the code from her app if she has one; never a code sent
# by e-mail (allauth's third way): at an unattended computer her mail is often open too.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
# The demo (scripts/run.sh) lets its own staff logins (accounts/two_factor.py, DEMO_STAFF) past
# the code step with a fixed code, with DEBUG on only; every other account needs its app's code.
VANMATCH_DEMO_TOTP_CODE = env_str("VANMATCH_DEMO_TOTP_CODE") if DEBUG else ""
# Argon2id first; older hashes are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },  # ASVS 2.1.1
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: Swedish first, English second -------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail: console by default, SMTP by configuration --------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Vänmatch <noreply@vanmatch.localhost>")

# Text messages to newcomers (coordinator/sms.py), chosen like e-mail: printed by the console
# backend unless a provider is set. With Twilio, SMS_AUTH_TOKEN also checks the signature of
# the replies Twilio posts to /sms/svar/; SMS_WEBHOOK_URL is that address as Twilio calls it
# (behind a proxy the address Django sees may differ); SMS_FROM is the sending number.
SMS_BACKEND = env_str("SMS_BACKEND", "coordinator.sms.ConsoleBackend")
SMS_ACCOUNT_SID = env_str("SMS_ACCOUNT_SID")
SMS_AUTH_TOKEN = env_str("SMS_AUTH_TOKEN", "dev-sms-token" if DEBUG else "")
SMS_FROM = env_str("SMS_FROM", "Vanmatch")
SMS_WEBHOOK_URL = env_str("SMS_WEBHOOK_URL")
SMS_DEFAULT_REGION = env_str("SMS_DEFAULT_REGION", "SE")  # numbers written without +46 are Swedish

# --- Security ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after VANMATCH_IDLE_MINUTES without a request, and VANMATCH_SESSION_HOURS after
# logging in whatever happens (accounts/middleware.py): a shared computer at a municipal office
# does not stay logged in.
VANMATCH_IDLE_MINUTES = env_int("VANMATCH_IDLE_MINUTES", 30, minimum=1)
VANMATCH_SESSION_HOURS = env_int("VANMATCH_SESSION_HOURS", 10, minimum=1)
SESSION_COOKIE_AGE = VANMATCH_SESSION_HOURS * 3600
# A Content-Security-Policy for every page (accounts/middleware.py): nothing inline, nothing
# from elsewhere, no plugins, no <base>.
VANMATCH_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Who the client is. VANMATCH_TRUSTED_PROXIES is how many proxies of ours stand in front of the
# app and append to X-Forwarded-For (docker-compose.yml's one: 1). Only then are
# X-Forwarded-For and X-Forwarded-Proto believed, and only their last hops; with 0 (the default)
# a client's own headers are ignored and the address is the connection's. Rate limits, lockouts
# and the security log all take the address this way.
VANMATCH_TRUSTED_PROXIES = env_int("VANMATCH_TRUSTED_PROXIES", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = VANMATCH_TRUSTED_PROXIES
AXES_CLIENT_IP_CALLABLE = "accounts.shared.client_ip.client_ip"
if env_bool("HTTPS", not DEBUG):
    if VANMATCH_TRUSTED_PROXIES:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the container's own health check speaks plain HTTP
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"  # links in verification and reset e-mails
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # __Host- cookies: only over HTTPS, only for this exact host, path /.
    SESSION_COOKIE_NAME = "__Host-vanmatch-session"
    CSRF_COOKIE_NAME = "__Host-vanmatch-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # the header only; listing is a separate, manual step

# --- REST framework -------------------------------------------------------------------
REST_FRAMEWORK = {
    # The token first: without credentials (or with a bad token) the answer is 401 with
    # "WWW-Authenticate: Token", not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_tokens.VanmatchTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "coordinator.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "accounts.shared.api_errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
    # The client's address for throttling: X-Forwarded-For only from our own proxies (above).
    "NUM_PROXIES": VANMATCH_TRUSTED_PROXIES,
}
# API tokens (django-rest-knox): stored as a hash, "Authorization: Token <key>" as before.
VANMATCH_API_TOKEN_DAYS = env_int("VANMATCH_API_TOKEN_DAYS", 30, minimum=1)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=VANMATCH_API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vänmatch API",
    "DESCRIPTION": (
        "Version 1 of the Vänmatch API: organisations, programmes, volunteers, newcomers, matching runs, "
        "proposals, matches and follow-ups. Every endpoint sees what the same user sees in the web "
        "application. Authenticate with a session or with `Authorization: Token <key>` (POST /api/v1/auth/token/). "
        'Every 4xx answer has the shape {"status": 400, "errors": [{"field": "...", "message": "..."}]}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EndReasonEnum": "coordinator.models.Match.EndReason",
        "LanguageEnum": "coordinator.api.serializers.people.LANGUAGE_CHOICES",
        "SlotEnum": "coordinator.api.serializers.people.SLOT_CHOICES",
    },
}

# --- Celery ---------------------------------------------------------------------------
# The longest task (a national matching run) must finish well inside the broker's
# visibility timeout, or Redis would hand a still-running task to a second worker.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 40, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 5)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 50, minimum=1)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT ({CELERY_VISIBILITY_TIMEOUT}s) must be longer than "
        f"CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT}s), or a running task is delivered twice"
    )

# A matching run's time limit grows with its pool (coordinator.services.runs.run_time_limit):
# this many seconds, and this many more per thousand people, at most the maximum. The limit is
# carried in the run's message, so it is the web process's setting that counts. A run is
# acknowledged when the worker takes it and recovered by beat's sweep, which knows each run's
# own limit, so a national run's hour does not lengthen the broker's visibility timeout.
MATCHING_RUN_TIME_LIMIT_BASE = env_int("MATCHING_RUN_TIME_LIMIT_BASE", 60, minimum=1)
MATCHING_RUN_SECONDS_PER_1000 = env_int("MATCHING_RUN_SECONDS_PER_1000", 4, minimum=0)
MATCHING_RUN_TIME_LIMIT_MAX = env_int("MATCHING_RUN_TIME_LIMIT_MAX", 3600, minimum=1)

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# A pool process that has grown past this (kB) after a task is replaced by a fresh one: a
# national run peaks at several GB, which a long-lived process would otherwise keep.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 1_500_000, minimum=100_000)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False
if CELERY_BROKER_URL:
    if not CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("CELERY_BROKER_URL must be a redis:// or rediss:// URL (or unset)")
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # kombu 5.7 sweeps for unacknowledged messages every interval x throttle
        # seconds (10 x 10 = 100 s by default); sweep every 5 s so that a task lost
        # with its worker is back within visibility_timeout + 5 s.
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
    CELERY_EMBEDDED_BROKER = False
else:
    # Embedded: kombu's filesystem transport. Messages are files in data/broker/,
    # exchanged between the web, beat and worker processes with flock(2).
    _broker_dir = Path(env_str("CELERY_BROKER_DIR", str(DATA_DIR / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
        "polling_interval": 0.5,
    }
    CELERY_RESULT_BACKEND = "db+sqlite:///" + str(_broker_dir / "results.sqlite3")
    CELERY_EMBEDDED_BROKER = True
CELERY_RESULT_EXPIRES = 24 * 3600

# --- The cache: shared by every process --------------------------------------------------
# Rate limits, "each code works once" and lockouts live here, so every web process must see the
# same cache: Redis in production (VANMATCH_CACHE_URL, or the broker's Redis on its next database;
# required when DEBUG is off), the database on the embedded default. Never a per-process cache:
# with gunicorn's three workers one authenticator code was accepted twice.
VANMATCH_CACHE_URL = env_str("VANMATCH_CACHE_URL")
if not VANMATCH_CACHE_URL and not CELERY_EMBEDDED_BROKER:
    _broker = urlsplit(CELERY_BROKER_URL)
    _db = int(_broker.path.strip("/") or 0)
    VANMATCH_CACHE_URL = urlunsplit(_broker._replace(path=f"/{_db + 1}"))  # beside the broker, never in it
if VANMATCH_CACHE_URL:
    if not VANMATCH_CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("VANMATCH_CACHE_URL must be a redis:// or rediss:// URL (or unset)")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": VANMATCH_CACHE_URL,
            "KEY_PREFIX": "vanmatch",
        }
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "vanmatch_cache"}}
else:
    raise ImproperlyConfigured(
        "With DEBUG off the cache must be Redis, shared by every web process: set VANMATCH_CACHE_URL "
        "(or CELERY_BROKER_URL) to a redis:// URL"
    )
# How often beat asks a worker to record that it is alive (worker.tasks.heartbeat).
VANMATCH_HEARTBEAT_SECONDS = env_int("VANMATCH_HEARTBEAT_SECONDS", 60, minimum=1)

# --- Logging ---------------------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
