# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""The parameter tree derived from stripe-python's TypedDicts, and coercion by it."""

from decimal import Decimal

import pytest
from stripe.params import CouponCreateParams, PaymentIntentCreateParams
from stripe.params.checkout import SessionCreateParams

from stripe_emulator.errors import StripeError
from stripe_emulator.params import Choice, Obj, Seq, coerce, schema_for

PI = schema_for(PaymentIntentCreateParams)


def error_of(tree: dict[str, object], schema: Obj = PI) -> StripeError:
    with pytest.raises(StripeError) as caught:
        coerce(tree, schema)
    return caught.value


class TestSchemaDerivation:
    def test_request_options_are_not_parameters(self) -> None:
        """SDK request options (api_key, idempotency_key…) are not API parameters."""
        assert "api_key" not in PI.fields
        assert "idempotency_key" not in PI.fields

    def test_required_keys_come_from_the_sdk(self) -> None:
        """Required params are the TypedDict's required keys."""
        assert PI.required == {"amount", "currency"}

    def test_nested_forward_references_resolve(self) -> None:
        """Nested TypedDicts named in annotation strings are followed."""
        line_items = schema_for(SessionCreateParams).fields["line_items"]
        assert isinstance(line_items, Seq)
        assert isinstance(line_items.item, Obj)
        assert "price_data" in line_items.item.fields

    def test_open_enums_are_closed_to_their_literals(self) -> None:
        """`Literal[...]|str` accepts only the literals, as the server does."""
        assert PI.fields["capture_method"] == Choice(
            frozenset({"automatic", "automatic_async", "manual"})
        )


class TestCoercion:
    def test_types_follow_annotations(self) -> None:
        """Integers, booleans, indexed lists and decimals are typed."""
        result = coerce(
            {"amount": "100", "currency": "usd", "confirm": "true",
             "amount_details": {"line_items": {"1": {"product_name": "b", "quantity": "1",
                                                     "unit_cost": "2"},
                                               "0": {"product_name": "a", "quantity": "3",
                                                     "unit_cost": "4"}}}},
            PI,
        )  # fmt: skip
        assert result["amount"] == 100
        assert result["confirm"] is True
        assert [i["product_name"] for i in result["amount_details"]["line_items"]] == ["a", "b"]
        assert coerce({"percent_off": "12.5"}, schema_for(CouponCreateParams)) == {
            "percent_off": Decimal("12.5")
        }

    def test_unknown_nested_parameter_names_full_path(self) -> None:
        """An unknown nested key is reported with its bracket path."""
        error = error_of(
            {"amount": "1", "currency": "usd",
             "amount_details": {"line_items": {"0": {"product_nam": "x"}}}}
        )  # fmt: skip
        assert error.code == "parameter_unknown"
        assert error.param == "amount_details[line_items][0][product_nam]"
        assert error.message == f"Received unknown parameter: {error.param}"

    def test_missing_nested_required_parameter(self) -> None:
        """A nested required key is reported as missing with its path."""
        error = error_of(
            {"amount": "1", "currency": "usd",
             "amount_details": {"line_items": {"0": {"product_name": "x", "quantity": "1"}}}}
        )  # fmt: skip
        assert (error.code, error.param) == (
            "parameter_missing",
            "amount_details[line_items][0][unit_cost]",
        )
        assert error.message == "Missing required param: amount_details[line_items][0][unit_cost]."

    @pytest.mark.parametrize(
        ("tree", "param", "code"),
        [
            ({"amount": "1.5", "currency": "usd"}, "amount", "parameter_invalid_integer"),
            # Stripe's list of codes has none for a bad boolean or enum value: no code.
            ({"amount": "1", "currency": "usd", "confirm": "yes"}, "confirm", None),
            ({"amount": "1", "currency": "usd", "capture_method": "later"}, "capture_method",
             None),
        ],
    )  # fmt: skip
    def test_bad_scalars_name_the_param(
        self, tree: dict[str, object], param: str, code: str | None
    ) -> None:
        """Bad integers, booleans and enum values are 400s naming the param."""
        error = error_of(tree)
        assert (error.status, error.param, error.code) == (400, param, code)
