# Tests read Optional fields the scenario guarantees and send old-version parameters the SDK
# types do not know; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,index,typeddict-item,arg-type"
"""Published API versions in Stripe-Version, and the per-version rules the emulator follows."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
import stripe

from stripe_emulator.api_versions import PUBLISHED
from stripe_emulator.testing import RunningEmulator

from .helpers import SECRET_KEY, bearer, make_client, raw


@pytest.mark.parametrize(
    "version", ["2011-01-01", "2020-08-27", "2023-10-16", "2024-09-30.acacia",
                "2025-03-31.basil", "2026-02-25.clover", "2026-08-26.dahlia"],
)  # fmt: skip
def test_published_versions_are_served_and_echoed(emulator: RunningEmulator, version: str) -> None:
    """Any published version is answered, with that version in the Stripe-Version header."""
    headers = {**bearer(SECRET_KEY), "Stripe-Version": version}
    status, answered, _ = raw(emulator, "GET", "/v1/payment_intents", None, headers)
    assert (status, answered["Stripe-Version"]) == (200, version)


@pytest.mark.parametrize("version", ["2023-10-16.acacia", "2026-10-28", "2026-10-28.basil"])
def test_versions_with_a_wrong_release_name_are_refused(
    emulator: RunningEmulator, version: str
) -> None:
    """A date with another release's name, or a named release's date without its name, is
    not a published version."""
    headers = {**bearer(SECRET_KEY), "Stripe-Version": version}
    status, _, body = raw(emulator, "GET", "/v1/payment_intents", None, headers)
    assert (status, body["error"]["message"]) == (400, f"Invalid Stripe API version: {version}")


def test_the_pinned_sdk_version_is_published() -> None:
    """The version stripe-python sends is in the published list (the list is not stale)."""
    assert stripe.api_version in PUBLISHED


def _intent(emulator: RunningEmulator, version: str, **params: object) -> stripe.PaymentIntent:
    client = make_client(emulator, SECRET_KEY, stripe_version=version)
    return client.v1.payment_intents.create(params={"amount": 1400, "currency": "usd", **params})


def test_automatic_payment_methods_default_on_from_2023_08_16(
    emulator: RunningEmulator,
) -> None:
    """From 2023-08-16 a PaymentIntent made without saying gets automatic payment methods."""
    intent = _intent(emulator, "2023-08-16")
    assert intent.automatic_payment_methods.enabled is True


def test_automatic_payment_methods_default_off_before_2023_08_16(
    emulator: RunningEmulator,
) -> None:
    """Before 2023-08-16 the default is card only, with no automatic payment methods."""
    intent = _intent(emulator, "2022-11-15")
    assert intent.automatic_payment_methods is None
    assert intent.payment_method_types == ["card"]


def test_payment_method_types_accepted_before_endive(emulator: RunningEmulator) -> None:
    """Before endive, payment_method_types=[card] limits the intent to cards, as the
    allowed_payment_method_types that replaced it does."""
    intent = _intent(emulator, "2026-08-26.dahlia", payment_method_types=["card"])
    assert intent.automatic_payment_methods is None
    assert intent.payment_method_types == ["card"]


def test_payment_method_types_refused_from_endive(emulator: RunningEmulator) -> None:
    """From endive the removed parameter is refused, naming it."""
    with pytest.raises(stripe.InvalidRequestError) as caught:
        _intent(emulator, "2026-09-30.endive", payment_method_types=["card"])
    assert caught.value.param == "payment_method_types"


def test_checkout_takes_payment_method_types_before_endive(emulator: RunningEmulator) -> None:
    """A Checkout Session made in 2020-08-27 with payment_method_types=[card] is card only."""
    client = make_client(emulator, SECRET_KEY, stripe_version="2020-08-27")
    session = client.v1.checkout.sessions.create(
        params={"mode": "payment", "success_url": "https://shop.test/ok",
                "payment_method_types": ["card"],
                "line_items": [{"quantity": 1, "price_data": {
                    "currency": "usd", "unit_amount": 500, "product_data": {"name": "Photo"}}}]}
    )  # fmt: skip
    assert session.payment_method_types == ["card"]


def _get(emulator: RunningEmulator, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(emulator.url + path, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.parametrize(
    ("release", "version"),
    [("v3", "null"), ("acacia", '"2024-09-30.acacia"'), ("basil", '"2025-03-31.basil"'),
     ("endive", '"2026-09-30.endive"')],
)  # fmt: skip
def test_stripe_js_is_served_per_release(
    emulator: RunningEmulator, release: str, version: str
) -> None:
    """Every release path serves the stand-in, which sends its release's API version when the
    page gives no apiVersion (the legacy /v3/ sends none)."""
    path = "/v3/" if release == "v3" else f"/{release}/stripe.js"
    status, script = _get(emulator, path)
    assert status == 200
    assert f"var RELEASE_API_VERSION = {version};" in script.decode()


def test_unknown_stripe_js_release_is_not_found(emulator: RunningEmulator) -> None:
    """A release Stripe never published is a 404, as on js.stripe.com."""
    assert _get(emulator, "/banana/stripe.js")[0] == 404
