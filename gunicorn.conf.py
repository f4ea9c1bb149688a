"""Gunicorn settings shared by the Procfile and the Dockerfile.

A request that talks to Stripe spends most of its time waiting on the network, so each worker
runs many threads; GUNICORN_WORKERS and GUNICORN_THREADS override the measured defaults
(README, Benchmarks).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
accesslog = "-"
