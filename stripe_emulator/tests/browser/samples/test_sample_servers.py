"""Where the sample tests look for Stripe's samples, and what they say when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import sample_servers


def test_missing_samples_fail_saying_where_they_were_looked_for(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No samples folder is a failure naming the path and how to provide it, never a skip."""
    monkeypatch.setattr(sample_servers, "SAMPLES", tmp_path / "absent")
    with pytest.raises(RuntimeError) as caught:
        sample_servers.sample_dir("checkout-one-time-payments")
    message = str(caught.value)
    assert str(tmp_path / "absent" / "checkout-one-time-payments") in message
    assert "../shared/stripe/samples" in message
    assert "STRIPE_SAMPLES_DIR" in message
