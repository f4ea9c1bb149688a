"""Settings, all read from the environment (see .env.example for every variable).

Production-safe by default: DEBUG is off unless DJANGO_DEBUG=true, and then a secret key must be
given. `make run` turns DEBUG on for local development; nothing else needs a `.env` file.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from project.connection_budget import get_pool_size
from project.environment import BASE_DIR, env

# Django reads settings from this module's names, so these count as set here.
from project.settings_shared_state import (  # noqa: F401
    AUTHENTICATION_BACKENDS,
    AXES_CLIENT_IP_CALLABLE,
    AXES_COOLOFF_TIME,
    AXES_DISABLE_ACCESS_LOG,
    AXES_FAILURE_LIMIT,
    AXES_HANDLER,
    AXES_LOCKOUT_PARAMETERS,
    AXES_LOCKOUT_TEMPLATE,
    AXES_RESET_ON_SUCCESS,
    CACHES,
    RATE_LIMIT_PER_CLIENT,
    RATE_LIMIT_PER_STRIPE_ACCOUNT,
    RATELIMIT_FAIL_OPEN,
    REDIS_URL,
)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="development-only-insecure-key")
else:
    try:
        SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    except ImproperlyConfigured as missing:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        ) from missing

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "project.views.csrf_failure"  # translated; JSON for the card form's fetch

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, which it extends (catalog/translation.py)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "catalog",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "project.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Takes the request's database connection; none to be had: 503 with Retry-After.
    "project.db_unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"

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
                "payments.context_processors.stripe_mode",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Stripe's webhook can arrive while a payment request's transaction is open. SQLite's default
    # deferred transactions then fail at once with "database is locked"; IMMEDIATE ones take the
    # write lock when they begin and wait for it (up to `timeout` seconds), as PostgreSQL's row
    # locks make writers wait. WAL lets pages be read meanwhile. The lock is held across a
    # payment request's Stripe calls, so `timeout` is set from their bound (see Stripe below).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 25,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# PostgreSQL connections: a budget, not one per thread. Each web process keeps a pool of at most
# DATABASE_POOL_SIZE connections (Django's built-in pool, psycopg 3); a request takes one as it
# starts and gives it back when it ends, and a request that finds none free waits up to
# DATABASE_POOL_TIMEOUT seconds, then answers 503 with Retry-After (project/db_unavailable.py).
# The defaults fit a 20-connection plan: 2 gunicorn workers x 8 = 16, leaving 4 for the release
# step, a scheduled `reconcile_payments`, `heroku run` and psql (gunicorn.conf.py has the sum).
# The 5 s wait plus a request's own 21 s worst case (see Stripe below) stays inside gunicorn's
# 30 s timeout. DATABASE_POOL_SIZE=0 turns the pool off: DATABASE_CONN_MAX_AGE then applies
# (`make run` uses that with 0, so its development server holds no connection between requests).
DATABASE_POOL_SIZE = get_pool_size()
DATABASE_POOL_TIMEOUT = env.float("DATABASE_POOL_TIMEOUT", default=5.0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections instead
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": DATABASE_POOL_TIMEOUT,
        # Connections above min_size close after a minute idle, so a burst's extra connections
        # do not stay open (psycopg's default is ten minutes).
        "max_idle": 60,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Item, discount and tax names and descriptions in each language (catalog/translation.py): a
# Russian text left empty falls back to the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed names need `collectstatic`; development and tests serve the files as they are.
_STATIC_MANIFEST = env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# HTTPS hardening is on whenever DEBUG is off; DJANGO_HTTPS=false is for plain-HTTP test servers.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
# Trust X-Forwarded-Proto only behind a proxy that sets it (Heroku's router, a load balancer):
# without one, any client could send the header and pass for HTTPS.
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # stripe-python logs two INFO lines for every API call; at the root's INFO that was 1.3 ms of
    # CPU per PaymentIntent request, a fifth of the view's (`make bench`). The gateway logs
    # failures with their cause; STRIPE_LOG_LEVEL=INFO brings the call trace back.
    "loggers": {"stripe": {"level": env.str("STRIPE_LOG_LEVEL", default="WARNING")}},
}

# Stripe: one account (keypair and webhook secret) per enabled currency. STRIPE_API_BASE and
# STRIPE_JS_URL point at real Stripe unless overridden (the offline emulator, in development).
STRIPE_CURRENCIES = [code.lower() for code in env.list("STRIPE_CURRENCIES", default=["usd", "eur"])]
STRIPE_ACCOUNTS = {
    currency: {
        "secret_key": env.str(f"STRIPE_{currency.upper()}_SECRET_KEY", default=""),
        "publishable_key": env.str(f"STRIPE_{currency.upper()}_PUBLISHABLE_KEY", default=""),
        "webhook_secret": env.str(f"STRIPE_{currency.upper()}_WEBHOOK_SECRET", default=""),
    }
    for currency in STRIPE_CURRENCIES
}
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
# What the catalog asks of payments, by dotted path: the catalog never imports payments, which
# builds on it (catalog/payment_hooks.py).
CATALOG_REFRESH_BEFORE_PAY = "payments.catalog_hooks.refresh_before_pay"
CATALOG_ORDERS_BEING_PAID = "payments.catalog_hooks.filter_orders_being_paid"
# The Stripe.js release of the pinned API version (stripe-python 16.1.0 sends 2026-10-28.endive;
# @stripe/stripe-js 10.2.1 loads the same `endive` release), rather than the legacy /v3/.
STRIPE_JS_RELEASE = "endive"
STRIPE_JS_URL = env.str(
    "STRIPE_JS_URL", default=f"https://js.stripe.com/{STRIPE_JS_RELEASE}/stripe.js"
)
# Time bound. A Stripe call that hangs takes (retries + 1) x timeout plus stripe-python's backoff
# between tries (0.5 s, 1 s, 2 s... at most 5 s each, jittered): 5 s and 1 retry give
# 5 + 0.5 + 5 = 10.5 s, and a failed call ends the request with a 502. A buyer queued behind a
# hung request for the same order (a row lock; on SQLite, the write lock) then waits at most
# 10.5 s and spends at most 10.5 s on its own call: 21 s, inside gunicorn's 30 s `timeout`, and
# the 10.5 s wait is inside SQLite's 25 s busy timeout above. (The old 10 s x 3 tries + backoff
# was 31.5 s: gunicorn killed the worker, and SQLite's waiters got "database is locked".)
STRIPE_TIMEOUT_SECONDS = env.int("STRIPE_TIMEOUT_SECONDS", default=5)
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=1)
STRIPE_CALL_BOUND_SECONDS = (STRIPE_MAX_NETWORK_RETRIES + 1) * STRIPE_TIMEOUT_SECONDS + sum(
    min(0.5 * 2**attempt, 5) for attempt in range(STRIPE_MAX_NETWORK_RETRIES)
)

# Limits and shared state: everything that must agree across app processes (dynos, containers)
# lives in PostgreSQL or Redis, never in one process's memory (project/settings_shared_state.py:
# the cache, the rate limits, admin sign-in throttling).
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks
# Error pages and reports: `sensitive_variables` honoured and configured secrets hidden in every
# mode, DEBUG included (project/error_reports.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "project.error_reports.SecretsHiddenFilter"

# The shop's public address (scheme, host and port, no path): every absolute URL handed to
# Stripe (Checkout's success and cancel URLs, the card form's return_url) is built on it, never
# on the request's Host header (payments/site_url.py). Required when DEBUG is off (a system
# check refuses to start without it); `make run` sets it from its port.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
# Reconciliation and sweeping (`reconcile_payments`, `sweep_abandoned`; README "Scheduled jobs").
# An attempt still open this many hours after it was made is abandoned: reconcile_payments
# cancels its PaymentIntent or expires its Checkout Session. 24 h is how long Stripe keeps a
# Checkout Session open by default (and at most), so no buyer's open payment page is cut short.
PAYMENT_ATTEMPT_MAX_AGE_HOURS = env.int("PAYMENT_ATTEMPT_MAX_AGE_HOURS", default=24)
# Unpaid orders older than this many days are deleted by sweep_abandoned, their attempts closed
# at Stripe first. 14 days is Django's session lifetime: the buyer can reach the order as long
# as the session that placed it lives.
UNPAID_ORDER_MAX_AGE_DAYS = env.int("UNPAID_ORDER_MAX_AGE_DAYS", default=14)
# Webhook event rows (they make a redelivered event do nothing) are kept this many days. Stripe
# retries a delivery for up to 3 days, and its Events API keeps events for 30.
WEBHOOK_EVENT_RETENTION_DAYS = env.int("WEBHOOK_EVENT_RETENTION_DAYS", default=30)
