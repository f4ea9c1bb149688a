# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Form decoding as stripe-python and Stripe.js encode."""

from decimal import Decimal

from stripe_emulator.encoding import decode_form, dumps


class TestDecodeForm:
    def test_indexed_and_nested(self) -> None:
        """`a[0][b]=` builds index-keyed hashes (ordered later by the schema)."""
        tree = decode_form("line_items[0][price_data][currency]=usd&line_items[0][quantity]=2")
        assert tree == {"line_items": {"0": {"price_data": {"currency": "usd"}, "quantity": "2"}}}

    def test_rack_style_lists(self) -> None:
        """`a[]=` appends, and `a[][k]=` starts a new hash when a key repeats."""
        tree = decode_form("expand[]=a&expand[]=b&x[][k]=1&x[][j]=2&x[][k]=3")
        assert tree == {"expand": ["a", "b"], "x": [{"k": "1", "j": "2"}, {"k": "3"}]}

    def test_query_and_body_merge_and_blanks_survive(self) -> None:
        """Query and body are one bucket; empty values are kept (they mean "unset")."""
        assert decode_form("limit=3", "metadata[k]=") == {"limit": "3", "metadata": {"k": ""}}


class TestDumps:
    def test_decimals_are_numbers(self) -> None:
        """Percentages are JSON numbers, as in Stripe's responses."""
        assert dumps({"p": Decimal("8.25"), "q": Decimal("20")}) == '{"p": 8.25, "q": 20}'
