"""Gunicorn settings shared by the Procfile and the Dockerfile.

A request that talks to Stripe spends most of its time waiting on the network, so each worker
runs many threads; GUNICORN_WORKERS and GUNICORN_THREADS override the measured defaults
(README, Benchmarks). On 2 cores `make bench` is CPU-bound (about 10 ms of CPU per PaymentIntent
request across gunicorn, PostgreSQL and the emulator), so what matters is keeping both cores
busy: 2 x 45 measured best (2 x 32 left requests queued when the kernel gave one worker most of
the kept-alive connections; 4 x 22 and 6 x 15 were within noise of 2 x 45 and cost more memory).

Database connections are a budget, not one per thread (project/settings.py, DATABASES). Each
worker process keeps its own pool of at most DATABASE_POOL_SIZE connections; threads beyond
that wait for one (DATABASE_POOL_TIMEOUT, then 503 with Retry-After). So what the web dynos
open is

    dynos x GUNICORN_WORKERS x DATABASE_POOL_SIZE  <=  the plan's limit - what else connects

With a 20-connection plan (Heroku's essential-0): 1 dyno x 2 workers x 8 = 16, leaving 4 for
the release step's migrate, a scheduled `reconcile_payments`, `heroku run` and psql. Raising
workers, dynos or the pool means recomputing this sum; raising threads does not.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "45"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
accesslog = "-"
# Gunicorn's default format logs the request line and the Referer with their query strings, and
# the card form's return URL carries the PaymentIntent's client secret there, which Stripe says
# must not be logged (https://docs.stripe.com/api/payment_intents/object, `client_secret`):
# log the path alone (%(U)s), and no Referer (the page after the result page would send it).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'
