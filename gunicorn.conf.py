"""Gunicorn settings shared by the Procfile and the Dockerfile.

Chosen by measurement (`make bench-servers`, README "Benchmarks"): POST
/order/<id>/payment-intent with 300 ms of Stripe latency and 200 clients, every setting held to
the same PostgreSQL budget of 16 connections. Each such request holds a database connection
while it waits on Stripe (its order's row lock), so 16 connections ÷ 300 ms ≈ 53 req/s bounds
every worker class alike; what differs is how much CPU and memory a setting spends and whether
it fails requests on the way:
- gthread with one thread per pooled connection (2 workers x 8 threads): every thread that
  runs a request has a connection, so none waits for the pool (and, past
  DATABASE_POOL_TIMEOUT, answers 503); requests beyond 16 wait in the listen queue instead.
  46-48 req/s with no failure in two runs on two machines, the least memory of the settings.
- keep-alive off: with gunicorn's default (2 s) gthread reset a few kept-alive connections just
  as the next request arrived (benoitc/gunicorn#1698): 6-17 failed requests of 1,000 in three of
  four runs, at 8 or 45 threads. Heroku's router and most proxies open their own connections, so
  nothing is lost.
- sync workers (16 of them for the same 16 connections) and gevent served as many with no
  failure, at CPU per request between 8 % below and a quarter above gthread's (run-to-run
  noise), and sync took 1.4 GB, three times a 512 MB dyno.
GUNICORN_WORKERS, GUNICORN_THREADS and GUNICORN_KEEPALIVE override these defaults.

Database connections are a budget, not one per thread (project/settings.py, DATABASES). Each
worker process keeps its own pool of at most DATABASE_POOL_SIZE connections, and runs as many
threads as its pool has connections unless GUNICORN_THREADS says otherwise. So what the web
dynos open is

    dynos x GUNICORN_WORKERS x DATABASE_POOL_SIZE  <=  the plan's limit - what else connects

With a 20-connection plan (Heroku's essential-0): 1 dyno x 2 workers x 8 = 16, leaving 4 for
the release step's migrate, a scheduled `reconcile_payments`, `heroku run` and psql. Raising
workers, dynos or the pool means recomputing this sum.
"""

import os

from project.connection_budget import DEFAULT_POOL_SIZE, get_pool_size

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# One thread per pooled connection (DATABASE_POOL_SIZE, project/connection_budget.py); as many
# threads as the default pool has connections when the pool is off (DATABASE_POOL_SIZE=0).
pool_size = get_pool_size() or DEFAULT_POOL_SIZE
threads = int(os.environ.get("GUNICORN_THREADS") or pool_size)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
accesslog = "-"
# Gunicorn's default format logs the request line and the Referer with their query strings, and
# the card form's return URL carries the PaymentIntent's client secret there, which Stripe says
# must not be logged (https://docs.stripe.com/api/payment_intents/object, `client_secret`):
# log the path alone (%(U)s), and no Referer (the page after the result page would send it).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'
