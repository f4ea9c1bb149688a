"""The shop's Redis cache backend: Django's, with one client per connection pool."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

from project.redis_cache import SharedClientRedisCache


@pytest.fixture
def cache() -> SharedClientRedisCache:
    """The backend on the test Redis (TEST_REDIS_URL), under a key prefix of its own."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    return SharedClientRedisCache(url, {"KEY_PREFIX": f"test-{uuid.uuid4()}"})


class TestSharedClientRedisCache:
    def test_one_client_serves_every_call(self, cache):
        """Reads and writes share one redis.Redis per pool instead of building one per call."""
        client = cache._cache.get_client(write=True)
        assert cache._cache.get_client(write=True) is client
        assert cache._cache.get_client() is client  # one server: reads use the same pool

    def test_counts_as_djangos_backend_does(self, cache):
        """add, incr and get behave as Django's RedisCache (what django-ratelimit uses)."""
        assert cache.add("counter", 1, 60) is True
        assert cache.add("counter", 1, 60) is False
        assert cache.incr("counter") == 2
        assert cache.get("counter") == 2
        cache.delete("counter")

    def test_incr_is_one_round_trip_and_refuses_a_missing_key(self, cache):
        """incr is one command (a script) and, like Django's, refuses a missing key."""
        # ValueError for a key that does not exist, which stays missing.
        with pytest.raises(ValueError, match="not found"):
            cache.incr("absent")
        assert cache.get("absent") is None
        cache.add("counter", 1, 60)
        client = cache._cache.get_client(write=True)
        sent: list[str] = []
        original = client.execute_command

        def counted(*args: Any, **options: Any) -> Any:
            sent.append(args[0])
            return original(*args, **options)

        client.execute_command = counted  # the real command, recorded on its way
        try:
            assert cache.incr("counter", 5) == 6
        finally:
            del client.execute_command
        assert sent == ["EVALSHA"]
        cache.delete("counter")
