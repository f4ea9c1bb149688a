# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""The /v1 pipeline: authentication, publishable keys, versions, headers, CORS, routing."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
import stripe

from stripe_emulator.errors import NO_API_KEY, PUBLISHABLE_KEY_NOT_ALLOWED
from stripe_emulator.testing import RunningEmulator, start_emulator

from .helpers import SECRET_KEY, bearer, make_client, raw

PUBLISHABLE_KEY = SECRET_KEY.replace("sk_", "pk_")


class TestAuthentication:
    def test_no_key(self, emulator: RunningEmulator) -> None:
        """No Authorization header: 401 with Stripe's wording."""
        status, _, body = raw(emulator, "GET", "/v1/payment_intents")
        assert status == 401
        assert body["error"]["message"] == NO_API_KEY

    def test_malformed_key_is_masked(self, emulator: RunningEmulator) -> None:
        """A bad key is echoed masked: prefix, asterisks, last four."""
        with pytest.raises(stripe.AuthenticationError) as caught:
            make_client(emulator, "sk_live_abcdefgh1234").v1.payment_intents.list()
        assert caught.value.user_message == "Invalid API Key provided: sk_live_********1234"

    def test_basic_auth(self, emulator: RunningEmulator) -> None:
        """Basic auth with the key as user name is accepted."""
        token = base64.b64encode(f"{SECRET_KEY}:".encode()).decode()
        status, _, _ = raw(emulator, "GET", "/v1/payment_intents", None,
                           {"Authorization": f"Basic {token}"})  # fmt: skip
        assert status == 200

    def test_publishable_key_only_for_stripe_js_calls(self, emulator: RunningEmulator) -> None:
        """A publishable key may not list PaymentIntents."""
        make_client(emulator, SECRET_KEY).v1.payment_intents.list()  # creates the account
        status, _, body = raw(emulator, "GET", "/v1/payment_intents", None,
                              bearer(PUBLISHABLE_KEY))  # fmt: skip
        assert status == 401
        assert body["error"]["message"] == PUBLISHABLE_KEY_NOT_ALLOWED


@pytest.fixture(scope="module")
def strict() -> Iterator[RunningEmulator]:
    """An emulator started with one account, so unknown keys are refused."""
    running = start_emulator(["sk_test_known"])
    yield running
    running.stop()


class TestAccountCreation:
    """Unknown keys: Stripe's 401 once accounts are configured, a new account in demo mode."""

    def test_unknown_key_is_refused_when_accounts_are_configured(
        self, strict: RunningEmulator
    ) -> None:
        """A well-formed but unknown test key gets 401 with the key masked."""
        make_client(strict, "sk_test_known").v1.payment_intents.list()
        with pytest.raises(stripe.AuthenticationError) as caught:
            make_client(strict, "sk_test_wrongkeyabcd").v1.payment_intents.list()
        assert caught.value.http_status == 401
        assert caught.value.user_message == "Invalid API Key provided: sk_test_********abcd"
        assert strict.health()["accounts"] == ["known"]

    def test_accounts_added_at_run_time_without_auto_accounts(self) -> None:
        """``auto_accounts=False`` with no start-up accounts: only added keys work."""
        running = start_emulator(auto_accounts=False)
        try:
            with pytest.raises(stripe.AuthenticationError):
                make_client(running, "sk_test_later").v1.payment_intents.list()
            running.add_account("sk_test_later")
            assert make_client(running, "sk_test_later").v1.payment_intents.list().data == []
            running.reset()
            with pytest.raises(stripe.AuthenticationError):
                make_client(running, "sk_test_later").v1.payment_intents.list()
        finally:
            running.stop()

    def test_demo_mode_creates_accounts_on_first_use(self, emulator: RunningEmulator) -> None:
        """Started with no accounts, any test key makes its own account."""
        assert emulator.health()["auto_accounts"] is True
        make_client(emulator, "sk_test_brandnew").v1.payment_intents.list()
        assert "brandnew" in emulator.health()["accounts"]

    def test_auto_accounts_can_be_forced_on(self) -> None:
        """``auto_accounts=True`` keeps demo mode alongside configured accounts."""
        running = start_emulator(["sk_test_known"], auto_accounts=True)
        try:
            make_client(running, "sk_test_other").v1.payment_intents.list()
            assert running.health()["accounts"] == ["known", "other"]
        finally:
            running.stop()


class TestPublishableKeyCalls:
    def test_retrieve_is_redacted_and_needs_the_secret(
        self, emulator: RunningEmulator, client: stripe.StripeClient
    ) -> None:
        """Stripe.js retrieve: matching client_secret, no metadata in the view."""
        intent = client.v1.payment_intents.create(
            params={"amount": 500, "currency": "usd", "metadata": {"secret": "x"}}
        )
        path = f"/v1/payment_intents/{intent.id}"
        status, _, body = raw(
            emulator, "GET", f"{path}?client_secret={intent.client_secret}", None,
            bearer(PUBLISHABLE_KEY),
        )  # fmt: skip
        assert status == 200
        assert "metadata" not in body
        assert body["status"] == intent.status
        status, _, body = raw(emulator, "GET", f"{path}?client_secret={intent.id}_secret_nope",
                              None, bearer(PUBLISHABLE_KEY))  # fmt: skip
        assert status == 400
        assert body["error"]["code"] == "payment_intent_invalid_parameter"

    def test_confirm_with_raw_card_and_key_in_body(
        self, emulator: RunningEmulator, client: stripe.StripeClient
    ) -> None:
        """Stripe.js confirm: pk in the body, raw test card number, use_stripe_sdk."""
        intent = client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})
        form = (
            f"key={PUBLISHABLE_KEY}&client_secret={intent.client_secret}"
            "&payment_method_data[type]=card&payment_method_data[card][number]=4000002760003184"
            "&payment_method_data[card][exp_month]=12&payment_method_data[card][exp_year]=34"
            "&payment_method_data[card][cvc]=123&use_stripe_sdk=true"
        )
        status, _, body = raw(
            emulator, "POST", f"/v1/payment_intents/{intent.id}/confirm", form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert status == 200
        assert body["status"] == "requires_action"
        assert body["next_action"]["type"] == "use_stripe_sdk"

    @pytest.mark.parametrize(
        ("number", "status", "code"),
        [
            ("4242424242424242", 200, None),
            ("4000000000000002", 402, "card_declined"),
            ("4000000000009995", 402, "card_declined"),
            ("4000002500003155", 200, None),
            ("4000000000003220", 200, None),
            ("4000000000000069", 402, "expired_card"),
            ("4000000000000127", 402, "incorrect_cvc"),
            ("4000000000000119", 402, "processing_error"),
            ("4242424242424241", 402, "incorrect_number"),
        ],
    )
    def test_test_card_numbers(
        self, emulator: RunningEmulator, client: stripe.StripeClient, number: str, status: int,
        code: str | None,
    ) -> None:  # fmt: skip
        """Every raw test card number has its documented outcome."""
        intent = client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})
        form = (
            f"client_secret={intent.client_secret}&payment_method_data[type]=card"
            f"&payment_method_data[card][number]={number}&payment_method_data[card][exp_month]=4"
            "&payment_method_data[card][exp_year]=2040&payment_method_data[card][cvc]=123"
        )
        got, _, body = raw(
            emulator, "POST", f"/v1/payment_intents/{intent.id}/confirm", form,
            {**bearer(PUBLISHABLE_KEY), "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert got == status
        if code:
            assert body["error"]["type"] == "card_error"
            assert body["error"]["code"] == code
        else:
            assert body["status"] in ("succeeded", "requires_action")

    def test_stripe_js_fields_refused_with_secret_key(self, client: stripe.StripeClient) -> None:
        """Raw card data is refused on secret-key calls (no server-side `card` type)."""
        intent = client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})
        card = {"type": "card", "card": {"number": "4242424242424242"}}
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.confirm(
                intent.id,
                params={"payment_method_data": card},
            )
        assert (caught.value.error.param or "").startswith("payment_method_data[")


class TestProtocol:
    def test_headers(self, client: stripe.StripeClient) -> None:
        """Every response carries Request-Id and echoes Stripe-Version and Idempotency-Key."""
        intent = client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})
        headers = intent.last_response.headers
        assert headers["Request-Id"].startswith("req_")
        assert headers["Stripe-Version"] == stripe.api_version
        assert headers["Idempotency-Key"]

    def test_bad_stripe_version(self, emulator: RunningEmulator) -> None:
        """A malformed Stripe-Version is a 400 naming it."""
        status, _, body = raw(emulator, "GET", "/v1/payment_intents", None,
                              {**bearer(SECRET_KEY), "Stripe-Version": "latest"})  # fmt: skip
        assert status == 400
        assert body["error"]["message"] == "Invalid Stripe API version: latest"

    def test_unknown_route(self, emulator: RunningEmulator) -> None:
        """Unknown /v1 paths answer Stripe's "Unrecognized request URL"."""
        status, _, body = raw(emulator, "GET", "/v1/foo", None, bearer(SECRET_KEY))
        assert status == 404
        assert body["error"]["message"].startswith("Unrecognized request URL (GET: /v1/foo).")

    def test_cors(self, emulator: RunningEmulator) -> None:
        """Preflight is answered and the Origin echoed."""
        status, headers, _ = raw(
            emulator, "OPTIONS", "/v1/payment_intents/pi_x/confirm", None,
            {"Origin": "http://shop.test", "Access-Control-Request-Method": "POST"},
        )  # fmt: skip
        assert status == 204
        assert headers["Access-Control-Allow-Origin"] == "http://shop.test"
        assert "Stripe-Version" in headers["Access-Control-Allow-Headers"]

    def test_request_log(self, emulator: RunningEmulator, client: stripe.StripeClient) -> None:
        """The request log shows what reached the emulator, parsed."""
        client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})
        entry = emulator.requests()[-1]
        assert (entry["method"], entry["path"], entry["status"]) == (
            "POST", "/v1/payment_intents", 200,
        )  # fmt: skip
        assert entry["params"] == {"amount": "500", "currency": "usd"}
        assert entry["account"] == SECRET_KEY.removeprefix("sk_test_")
