"""The buyer's session: orders and payment links belong to it, so it needs a key."""

from django.contrib.sessions.backends.base import SessionBase


def ensure_buyer_session_key(session: SessionBase) -> str:
    """The session's key, saving the session first if it has none yet."""
    if session.session_key is None:
        session.save()
    return session.session_key or ""
