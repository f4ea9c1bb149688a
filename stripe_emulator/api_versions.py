"""The dated API versions Stripe has published, and the rules of theirs the emulator follows.

A request may name any published version in ``Stripe-Version`` (Stripe.js sends its
``apiVersion`` option there too); an unpublished one is Stripe's 400. Responses keep the shape
of the emulated version (``config.API_VERSION``) whatever the request asked for, and echo the
version asked for. What differs per version, as far as the emulator follows it, is here; the
README lists the rules that are known and not followed.

Sources: the dated versions up to 2022-11-15 as Stripe's API listed them for a webhook
endpoint's ``api_version``; the later ones from Stripe's changelog (docs.stripe.com/changelog)
and the SDK releases that pinned them. A version published after 2026-10-28.endive is unknown
here and refused until added.
"""

from __future__ import annotations

from typing import Any

from stripe_emulator.errors import StripeError

_DATED = """
2011-01-01 2011-06-21 2011-06-28 2011-08-01 2011-09-15 2011-11-17 2012-02-23 2012-03-25
2012-06-18 2012-06-28 2012-07-09 2012-09-24 2012-10-26 2012-11-07 2013-02-11 2013-02-13
2013-07-05 2013-08-12 2013-08-13 2013-10-29 2013-12-03 2014-01-31 2014-03-13 2014-03-28
2014-05-19 2014-06-13 2014-06-17 2014-07-22 2014-07-26 2014-08-04 2014-08-20 2014-09-08
2014-10-07 2014-11-05 2014-11-20 2014-12-08 2014-12-17 2014-12-22 2015-01-11 2015-01-26
2015-02-10 2015-02-16 2015-02-18 2015-03-24 2015-04-07 2015-06-15 2015-07-07 2015-07-13
2015-07-28 2015-08-07 2015-08-19 2015-09-03 2015-09-08 2015-09-23 2015-10-01 2015-10-12
2015-10-16 2016-02-03 2016-02-19 2016-02-22 2016-02-23 2016-02-29 2016-03-07 2016-06-15
2016-07-06 2016-10-19 2017-01-27 2017-02-14 2017-04-06 2017-05-25 2017-06-05 2017-08-15
2017-12-14 2018-01-23 2018-02-05 2018-02-06 2018-02-28 2018-05-21 2018-07-27 2018-08-23
2018-09-06 2018-09-24 2018-10-31 2018-11-08 2019-02-11 2019-02-19 2019-03-14 2019-05-16
2019-08-14 2019-09-09 2019-10-08 2019-10-17 2019-11-05 2019-12-03 2020-03-02 2020-08-27
2022-08-01 2022-11-15 2023-08-16 2023-10-16 2024-04-10 2024-06-20
"""
# Since 2024-09-30 each version carries the name of its major release.
_NAMED = {
    "acacia": "2024-09-30 2024-10-28 2024-11-20 2024-12-18 2025-01-27 2025-02-24",
    "basil": "2025-03-31 2025-04-30 2025-05-28 2025-06-30 2025-07-30 2025-08-27",
    "clover": "2025-09-30 2025-10-29 2025-11-17 2025-12-15 2026-01-28 2026-02-25",
    "dahlia": "2026-03-25 2026-04-22 2026-05-27 2026-06-24 2026-07-29 2026-08-26",
    "endive": "2026-09-30 2026-10-28",
}
# Stripe.js is published per release too (``js.stripe.com/<release>/stripe.js``, since
# 2025-02-24.acacia), besides the legacy ``/v3/``.
STRIPE_JS_RELEASES: frozenset[str] = frozenset({"v3", *_NAMED})
PUBLISHED: frozenset[str] = frozenset(_DATED.split()) | frozenset(
    f"{date}.{name}" for name, dates in _NAMED.items() for date in dates.split()
)

# 2023-08-16: a PaymentIntent created with neither ``payment_method_types`` nor
# ``automatic_payment_methods`` gets ``automatic_payment_methods[enabled]=true``; before it,
# ``payment_method_types=["card"]`` and no automatic payment methods.
AUTOMATIC_PAYMENT_METHODS_BY_DEFAULT = "2023-08-16"
# 2026-09-30.endive removed the ``payment_method_types`` parameter (config.API_VERSION).
PAYMENT_METHOD_TYPES_REMOVED = "2026-09-30"


def check_published(version: str) -> None:
    """Stripe's 400 for a ``Stripe-Version`` it never published."""
    if version not in PUBLISHED:
        raise StripeError.invalid_param(None, f"Invalid Stripe API version: {version}")


def _date(version: str) -> str:
    return version.partition(".")[0]


def automatic_payment_methods_default(version: str) -> dict[str, Any] | None:
    """``automatic_payment_methods`` of a PaymentIntent created without saying."""
    if _date(version) < AUTOMATIC_PAYMENT_METHODS_BY_DEFAULT:
        return None
    return {"enabled": True, "allow_redirects": "always"}


def accepts_payment_method_types(version: str) -> bool:
    return _date(version) < PAYMENT_METHOD_TYPES_REMOVED


def release_api_version(release: str) -> str | None:
    """The API version a versioned Stripe.js (``/<release>/stripe.js``) sends when the page
    gives no ``apiVersion``: its major release's first version [?]. The legacy ``/v3/`` sends
    none, so the account's version applies (here the emulated one)."""
    if release == "v3":
        return None
    return f"{_NAMED[release].split()[0]}.{release}"
