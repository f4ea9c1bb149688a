"""The per-process database pool size, one default for the two readers: project/settings.py
(the pool itself) and gunicorn.conf.py (one thread per pooled connection), which runs in
gunicorn's master before Django is set up and so cannot read Django's settings."""

from __future__ import annotations

import os

# Sized for a 20-connection plan: 2 workers x 8 = 16, leaving 4 (gunicorn.conf.py has the sum).
DEFAULT_POOL_SIZE = 8


def get_pool_size() -> int:
    """DATABASE_POOL_SIZE from the environment, else the default (0 turns the pool off)."""
    return int(os.environ.get("DATABASE_POOL_SIZE") or DEFAULT_POOL_SIZE)
