"""Money helpers: exponents, exact conversion, Stripe's limits, formatting."""

from decimal import Decimal

import pytest

from catalog.money import (
    CURRENCY_CHOICES,
    MAXIMUM_AMOUNT,
    MINIMUM_CHARGE,
    SUPPORTED_CURRENCIES,
    format_money,
    from_minor_units,
    get_currency_exponent,
    to_minor_units,
)

NBSP = "\xa0"


class TestExponent:
    @pytest.mark.parametrize(("currency", "expected"), [("usd", 2), ("eur", 2), ("gbp", 2)])
    def test_two_decimal_currencies(self, currency, expected):
        """USD, EUR and GBP have cents."""
        assert get_currency_exponent(currency) == expected

    @pytest.mark.parametrize("currency", ["jpy", "JPY", "krw", "vnd", "clp"])
    def test_zero_decimal_currencies(self, currency):
        """Stripe's zero-decimal currencies, whatever the case, have no minor unit."""
        assert get_currency_exponent(currency) == 0

    def test_three_decimal_currency_refused(self):
        """A three-decimal currency is refused rather than treated as two-decimal."""
        with pytest.raises(ValueError, match="three-decimal"):
            get_currency_exponent("kwd")


class TestToMinorUnits:
    @pytest.mark.parametrize(
        ("amount", "currency", "minor"),
        [
            ("19.99", "usd", 1999),
            ("10", "eur", 1000),
            ("0.5", "gbp", 50),
            ("1500", "jpy", 1500),
            ("1500.00", "jpy", 1500),
            ("999999.99", "usd", 99_999_999),
        ],
    )
    def test_exact_conversion(self, amount, currency, minor):
        """Major units become integer minor units using the currency's exponent."""
        result = to_minor_units(Decimal(amount), currency)
        assert result == minor
        assert type(result) is int

    @pytest.mark.parametrize(
        ("amount", "currency"), [("1.5", "jpy"), ("0.01", "jpy"), ("1.005", "usd")]
    )
    def test_refuses_sub_unit_amounts(self, amount, currency):
        """An amount finer than the currency's minor unit raises instead of being rounded."""
        with pytest.raises(ValueError, match="decimal place"):
            to_minor_units(Decimal(amount), currency)

    def test_refuses_float(self):
        """A float is refused: money is never float."""
        with pytest.raises(TypeError):
            to_minor_units(19.99, "usd")  # type: ignore[arg-type]

    def test_refuses_non_finite(self):
        """NaN and infinity are not amounts."""
        with pytest.raises(ValueError, match="finite"):
            to_minor_units(Decimal("NaN"), "usd")


class TestFromMinorUnits:
    def test_round_trip(self):
        """Minor units come back as the same Decimal in major units."""
        assert from_minor_units(1999, "usd") == Decimal("19.99")
        assert from_minor_units(1500, "jpy") == Decimal(1500)
        assert to_minor_units(from_minor_units(123456, "eur"), "eur") == 123456

    def test_refuses_non_int(self):
        """Minor units are integers; a Decimal or bool is a caller's mistake."""
        with pytest.raises(TypeError):
            from_minor_units(Decimal("19.99"), "usd")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            from_minor_units(True, "usd")


class TestFormatMoney:
    def test_english_usd(self):
        """English shows a dollar sign, thousands comma and two decimals."""
        assert format_money(123456, "usd", "en") == "$1,234.56"

    def test_jpy_has_no_decimals(self):
        """JPY shows whole yen: 1500 minor units is ¥1,500, not ¥15.00."""
        assert format_money(1500, "jpy", "en") == "¥1,500"

    def test_russian(self):
        """Russian puts the symbol after, groups with a space and uses a decimal comma."""
        assert format_money(123456, "eur", "ru") == f"1{NBSP}234,56{NBSP}€"
        assert format_money(1500, "jpy", "ru") == f"1{NBSP}500{NBSP}¥"

    def test_django_language_code(self):
        """A Django language code such as en-us is accepted."""
        assert format_money(500, "gbp", "en-us") == "£5.00"


class TestLimits:
    def test_every_supported_currency_has_limits_and_a_label(self):
        """Each supported currency has a minimum, a maximum and a form choice."""
        assert set(MINIMUM_CHARGE) == set(MAXIMUM_AMOUNT) == set(SUPPORTED_CURRENCIES)
        assert [code for code, _label in CURRENCY_CHOICES] == list(SUPPORTED_CURRENCIES)

    def test_values_from_stripe(self):
        """Minimums and maximums are Stripe's published figures for each currency."""
        assert MINIMUM_CHARGE == {"usd": 50, "eur": 50, "gbp": 30, "jpy": 50}
        assert MAXIMUM_AMOUNT["usd"] == 99_999_999
        assert MAXIMUM_AMOUNT["jpy"] == 9_999_999_999
