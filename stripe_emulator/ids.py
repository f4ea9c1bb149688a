"""Object identifiers in Stripe's test-mode formats."""

import random
import secrets
import string

_ALNUM = string.ascii_letters + string.digits
_UPPER = string.ascii_uppercase + string.digits


_RANDOM = random.SystemRandom()


def random_alnum(length: int, alphabet: str = _ALNUM) -> str:
    return "".join(_RANDOM.choices(alphabet, k=length))


def new_id(prefix: str) -> str:
    """``pi_``/``ch_``/``pm_``/``re_``/``evt_``/``txr_``/``li_``/``price_`` + 24 alnum."""
    return f"{prefix}_{random_alnum(24)}"


def product_id() -> str:
    return f"prod_{random_alnum(14)}"


def checkout_session_id() -> str:
    """``cs_test_`` + ``a1`` or ``b1`` + 56 alnum: 58 characters after the prefix."""
    return f"cs_test_{secrets.choice(('a1', 'b1'))}{random_alnum(56)}"


def client_secret(intent_id: str) -> str:
    return f"{intent_id}_secret_{random_alnum(25)}"


def coupon_id() -> str:
    return random_alnum(8, _UPPER)


def request_id() -> str:
    return f"req_{random_alnum(14)}"
