# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""What the emulator refuses rather than accepting and ignoring: parameters it does not act
on, card statement descriptors, bad URLs, oversized metadata, confirm-only parameters."""

from __future__ import annotations

import json
import urllib.error
from typing import Any

import pytest
import stripe

from stripe_emulator.testing import RunningEmulator

from .helpers import line, pay, session

PI = {"amount": 1000, "currency": "usd"}


def refused(call: Any, *args: Any, **kwargs: Any) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        call(*args, **kwargs)
    assert caught.value.http_status == 400
    return caught.value


class TestUnsupportedParameters:
    @pytest.mark.parametrize(
        ("extra", "param"),
        [
            ({"customer": "cus_123"}, "customer"),
            ({"on_behalf_of": "acct_1"}, "on_behalf_of"),
            ({"transfer_data": {"destination": "acct_1"}}, "transfer_data"),
            ({"application_fee_amount": 10}, "application_fee_amount"),
            ({"payment_method_options": {"card": {"request_three_d_secure": "any"}}},
             "payment_method_options"),
            ({"setup_future_usage": "off_session"}, "setup_future_usage"),
            ({"payment_method_configuration": "pmc_1"}, "payment_method_configuration"),
            ({"allowed_payment_method_types": ["card", "klarna"]},
             "allowed_payment_method_types[1]"),
            ({"excluded_payment_method_types": ["card"]}, "excluded_payment_method_types"),
            ({"confirmation_method": "manual"}, "confirmation_method"),
        ],
    )  # fmt: skip
    def test_create_refuses_what_it_would_ignore(
        self, client: stripe.StripeClient, extra: dict[str, Any], param: str
    ) -> None:
        """A parameter Stripe acts on and the emulator does not is a 400 naming it."""
        error = refused(client.v1.payment_intents.create, params={**PI, **extra})
        assert error.param == param
        assert error.user_message.startswith("The Stripe emulator does not support")
        assert client.v1.payment_intents.list().data == []

    @pytest.mark.parametrize(
        "extra",
        [{"application_fee_amount": 5}, {"payment_method_options": {"card": {"moto": True}}},
         {"payment_method_data": {"type": "klarna"}}, {"transfer_data": {"amount": 1}},
         {"payment_method_configuration": "pmc_1"}, {"setup_future_usage": "on_session"}],
    )  # fmt: skip
    def test_update_refuses_what_it_would_ignore(
        self, client: stripe.StripeClient, extra: dict[str, Any]
    ) -> None:
        """Update refuses the parameters it used to accept and drop."""
        intent = client.v1.payment_intents.create(params=PI)
        error = refused(client.v1.payment_intents.update, intent.id, params=extra)
        assert error.param.split("[")[0] == next(iter(extra))

    def test_update_applies_capture_method_and_types(self, client: stripe.StripeClient) -> None:
        """What update accepts, it applies."""
        intent = client.v1.payment_intents.create(params=PI)
        updated = client.v1.payment_intents.update(
            intent.id,
            params={"capture_method": "manual", "allowed_payment_method_types": ["card"],
                    "excluded_payment_method_types": ["klarna"]},
        )  # fmt: skip
        assert updated.capture_method == "manual"
        assert updated.automatic_payment_methods is None
        assert updated.excluded_payment_method_types == ["klarna"]

    def test_confirm_refuses_payment_method_options(self, client: stripe.StripeClient) -> None:
        """Confirm refuses payment_method_options (400 naming it); the intent stays unpaid."""
        intent = client.v1.payment_intents.create(params=PI)
        error = refused(
            client.v1.payment_intents.confirm,
            intent.id,
            params={"payment_method": "pm_card_visa", "return_url": "https://shop.example/r",
                    "payment_method_options": {"card": {"request_three_d_secure": "any"}}},
        )  # fmt: skip
        assert error.param == "payment_method_options"
        assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"

    def test_checkout_update_refuses_line_items(self, client: stripe.StripeClient) -> None:
        """Only metadata can be updated; line_items is refused, not answered 200 unchanged."""
        created = session(client, [line(1000)])
        error = refused(
            client.v1.checkout.sessions.update,
            created.id,
            params={"line_items": [{"id": "li_1", "quantity": 3}]},
        )
        assert error.param == "line_items"
        updated = client.v1.checkout.sessions.update(created.id, params={"metadata": {"a": "1"}})
        assert updated.metadata.to_dict() == {"a": "1"}

    @pytest.mark.parametrize(
        ("extra", "param"),
        [({"customer": "cus_1"}, "customer"),
         ({"shipping_address_collection": {"allowed_countries": ["US"]}},
          "shipping_address_collection"),
         ({"payment_intent_data": {"transfer_data": {"destination": "acct_1"}}},
          "payment_intent_data[transfer_data]"),
         ({"payment_intent_data": {"setup_future_usage": "off_session"}},
          "payment_intent_data[setup_future_usage]"),
         ({"payment_intent_data": {"capture_method": "manual"}},
          "payment_intent_data[capture_method]"),
         ({"allow_promotion_codes": True}, "allow_promotion_codes")],
    )  # fmt: skip
    def test_checkout_create_refusals(
        self, client: stripe.StripeClient, extra: dict[str, Any], param: str
    ) -> None:
        """Checkout parameters Stripe would act on are refused, manual capture included."""
        error = refused(session, client, [line(1000)], **extra)
        assert error.param == param


class TestStatementDescriptors:
    def test_card_payment_intent_refuses_statement_descriptor(
        self, client: stripe.StripeClient
    ) -> None:
        """Card charges take only a suffix, as the SDK's own docstring says."""
        error = refused(
            client.v1.payment_intents.create, params={**PI, "statement_descriptor": "MY SHOP"}
        )
        assert error.param == "statement_descriptor"
        intent = client.v1.payment_intents.create(params=PI)
        error = refused(
            client.v1.payment_intents.update, intent.id, params={"statement_descriptor": "SHOP"}
        )
        assert error.param == "statement_descriptor"

    def test_checkout_refuses_statement_descriptor(self, client: stripe.StripeClient) -> None:
        """Checkout refuses payment_intent_data[statement_descriptor] for card payments."""
        error = refused(session, client, [line(1000)],
                        payment_intent_data={"statement_descriptor": "MY SHOP"})  # fmt: skip
        assert error.param == "payment_intent_data[statement_descriptor]"

    def test_suffix_length(self, client: stripe.StripeClient) -> None:
        """The suffix fits 22 characters with the prefix and '* '; longer is refused."""
        ok = client.v1.payment_intents.create(
            params={**PI, "statement_descriptor_suffix": "ORDER 1234"}
        )
        assert ok.statement_descriptor_suffix == "ORDER 1234"
        long_suffix = {**PI, "statement_descriptor_suffix": "ORDER 12345678901"}
        error = refused(client.v1.payment_intents.create, params=long_suffix)
        assert error.param == "statement_descriptor_suffix"


class TestUrls:
    @pytest.mark.parametrize("url", ["javascript:alert(1)", "/relative", "ftp://x/y", "https://"])
    @pytest.mark.parametrize("param", ["success_url", "cancel_url"])
    def test_checkout_urls_must_be_absolute_http(
        self, client: stripe.StripeClient, url: str, param: str
    ) -> None:
        """Not an absolute http(s) URL: 400 url_invalid naming the parameter."""
        error = refused(session, client, [line(1000)], **{param: url})
        assert (error.code, error.param, error.user_message) == (
            "url_invalid",
            param,
            "Not a valid URL",
        )

    def test_success_url_is_required_on_a_hosted_page(self, client: stripe.StripeClient) -> None:
        """A hosted Checkout Session without success_url is refused as parameter_missing."""
        error = refused(
            client.v1.checkout.sessions.create,
            params={"mode": "payment", "line_items": [line(1000)]},
        )
        assert (error.code, error.param) == ("parameter_missing", "success_url")

    def test_confirm_return_url(self, client: stripe.StripeClient) -> None:
        """A return_url that is not an http(s) URL is refused as url_invalid."""
        intent = client.v1.payment_intents.create(params=PI)
        error = refused(client.v1.payment_intents.confirm, intent.id,
                        params={"payment_method": "pm_card_visa",
                                "return_url": "javascript:alert(1)"})  # fmt: skip
        assert (error.code, error.param) == ("url_invalid", "return_url")


class TestMetadataLimits:
    def test_key_too_long(self, client: stripe.StripeClient) -> None:
        """A metadata key over 40 characters is refused, naming the key."""
        key = "k" * 41
        error = refused(client.v1.payment_intents.create, params={**PI, "metadata": {key: "v"}})
        assert error.param == f"metadata[{key}]"

    def test_value_too_long(self, client: stripe.StripeClient) -> None:
        """A metadata value over 500 characters is refused, naming the key."""
        error = refused(session, client, [line(1000)], metadata={"note": "v" * 501})
        assert error.param == "metadata[note]"

    def test_fifty_keys_at_most_across_updates(self, client: stripe.StripeClient) -> None:
        """50 keys pass; one more on update is refused and changes nothing."""
        intent = client.v1.payment_intents.create(
            params={**PI, "metadata": {f"k{i}": "v" for i in range(50)}}
        )
        update = {"metadata": {"one_more": "v"}, "description": "changed"}
        error = refused(client.v1.payment_intents.update, intent.id, params=update)
        assert error.param == "metadata"
        again = client.v1.payment_intents.retrieve(intent.id)
        assert len(again.metadata.to_dict()) == 50
        assert again.description is None


class TestConfirmOnlyParameters:
    @pytest.mark.parametrize(
        "extra",
        [{"off_session": True}, {"error_on_requires_action": True}, {"use_stripe_sdk": True},
         {"return_url": "https://shop.example/r"}, {"mandate_data": {"customer_acceptance":
                                                                     {"type": "offline"}}}],
    )  # fmt: skip
    def test_only_with_confirm(self, client: stripe.StripeClient, extra: dict[str, Any]) -> None:
        """Parameters that need confirm=true are refused on a create without it."""
        error = refused(client.v1.payment_intents.create, params={**PI, **extra})
        assert error.param == next(iter(extra))

    def test_error_on_requires_action(self, client: stripe.StripeClient) -> None:
        """A card needing 3-D Secure fails instead of entering requires_action."""
        with pytest.raises(stripe.CardError) as caught:
            client.v1.payment_intents.create(
                params={**PI, "confirm": True, "error_on_requires_action": True,
                        "payment_method": "pm_card_authenticationRequiredOnSetup",
                        "return_url": "https://shop.example/r"}
            )  # fmt: skip
        assert caught.value.code == "authentication_required"


class TestCheckoutPaymentIntent:
    def test_session_names_its_intent_after_a_decline(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """Once the first attempt made the PaymentIntent, the session names it, paid or not."""
        created = session(client, [line(2500)])
        assert created.payment_intent is None
        with pytest.raises(urllib.error.HTTPError) as caught:
            pay(emulator, created.id, "4000000000000002")
        body = json.loads(caught.value.read())
        intent_id = body["error"]["payment_intent"]["id"]
        again = client.v1.checkout.sessions.retrieve(created.id)
        assert (again.status, again.payment_intent) == ("open", intent_id)
        pay(emulator, created.id)
        assert client.v1.checkout.sessions.retrieve(created.id).payment_intent == intent_id
