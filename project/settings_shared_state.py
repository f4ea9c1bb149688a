"""Settings for limits and shared state, included by project/settings.py: everything that must
agree across app processes (dynos, containers) lives in PostgreSQL or Redis, never in one
process's memory. The cache (and so the rate-limit counters), the rate limits, and admin sign-in
throttling (django-axes; settings.py adds its app and middleware)."""

from datetime import timedelta

from project.environment import env

# With REDIS_URL (Heroku's Key-Value Store add-on sets it; docker-compose's `redis` service) the
# cache, and so the rate-limit counters, are shared by every process. Without it (`make run`,
# one process) each process counts alone in its own memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Heroku's Key-Value Store answers only TLS (rediss://) with a self-signed certificate,
    # so its own documentation tells clients not to verify it; REDIS_VERIFY_TLS=true where the
    # server has a certificate a CA signed.
    # https://devcenter.heroku.com/articles/connecting-heroku-redis#connecting-in-python
    _redis_tls = {"ssl_cert_reqs": "required" if env.bool("REDIS_VERIFY_TLS", False) else None}
    CACHES = {
        "default": {
            # Django's RedisCache, one client per connection pool (project/redis_cache.py).
            "BACKEND": "project.redis_cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="shop"),
            "OPTIONS": {
                # A process's threads share a few connections (a counter takes well under a
                # millisecond), waiting for one rather than opening more: Heroku's mini plan
                # allows 20 connections in all, 4 per process leaves room for 2 dynos x 2 workers.
                "pool_class": "redis.BlockingConnectionPool",
                "max_connections": env.int("REDIS_MAX_CONNECTIONS", default=4),
                "timeout": 5,  # seconds to wait for a free connection, then fail open
                "socket_connect_timeout": 2,  # an unreachable Redis fails open fast too
                "socket_timeout": 2,
                **(_redis_tls if REDIS_URL.startswith("rediss://") else {}),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rate limits on requests that create orders, sessions or Stripe objects (project/rate_limits.py).
# "<count>/<period>", period s, m, h or d, optionally with a multiplier ("30/10m"). Per client:
# far above what one buyer does (a cart of a few items, an order, a few tries to pay). Per Stripe
# account: Stripe allows 25 requests per second per endpoint, and 25 in all in a sandbox (test
# mode; 100 in live mode). A shop request usually makes 1 or 2 calls, so 10 shop requests a second
# stay near 20 calls, below both even in test mode (rarely 5 calls: Checkout for an order replacing
# a stale session with a new coupon and tax rate; Stripe's own 429 then still answers a clear 503).
# https://docs.stripe.com/rate-limits
RATE_LIMIT_PER_CLIENT = env.str("RATE_LIMIT_PER_CLIENT", default="30/10m")
RATE_LIMIT_PER_STRIPE_ACCOUNT = env.str("RATE_LIMIT_PER_STRIPE_ACCOUNT", default="10/s")
# If the counters can't be read (Redis down), serve rather than refuse every buyer.
RATELIMIT_FAIL_OPEN = True

# Admin sign-in throttled by django-axes: after ADMIN_LOGIN_FAILURE_LIMIT wrong passwords for one
# username from one client address, that pair is locked out for ADMIN_LOCKOUT_MINUTES (429 and a
# page saying so). Attempts are rows in PostgreSQL, so every app process sees them; staff unlock
# in the admin (Axes, Access attempts: delete the row) or with `manage.py axes_reset_username`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before the check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("ADMIN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ADMIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "project.rate_limits.get_client_ip"  # the rate limits' address rule
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # a row per successful sign-in that nothing reads
AXES_LOCKOUT_TEMPLATE = "admin_locked_out.html"
