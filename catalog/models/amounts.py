"""What makes an amount chargeable, for the models' `clean()` and their CheckConstraints."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Floor
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from catalog.money import (
    MAXIMUM_AMOUNT,
    SUPPORTED_CURRENCIES,
    from_minor_units,
    get_currency_exponent,
    to_minor_units,
)


def find_amount_error(value: Decimal, currency: str) -> str | None:
    """Say why `value` (major units, already > 0) cannot be charged in `currency`, or None."""
    try:
        minor = to_minor_units(value, currency)
    except ValueError:
        if get_currency_exponent(currency) == 0:
            return str(
                _("%(currency)s has no minor unit: use a whole number.")
                % {"currency": currency.upper()}
            )
        return str(
            _("%(currency)s amounts have at most %(places)d decimal places.")
            % {"currency": currency.upper(), "places": get_currency_exponent(currency)}
        )
    if minor > MAXIMUM_AMOUNT[currency]:
        return str(
            _("Stripe accepts at most %(maximum)s %(currency)s.")
            % {
                "maximum": from_minor_units(MAXIMUM_AMOUNT[currency], currency),
                "currency": currency.upper(),
            }
        )
    return None


def format_percent(value: Decimal) -> str:
    """Show a percentage without trailing zeros, in the active language's digits:
    10.00 -> "10", 8.2500 -> "8.25" (Russian: "8,25")."""
    return number_format(Decimal(format(value.normalize(), "f")), use_l10n=True)


def build_chargeable_condition(field: str) -> Q:
    """Database mirror of find_amount_error: whole units where there is no minor unit, ≤ maximum."""
    condition = Q()
    for code in SUPPORTED_CURRENCIES:
        rule = Q(**{f"{field}__lte": from_minor_units(MAXIMUM_AMOUNT[code], code)})
        if get_currency_exponent(code) == 0:
            rule &= Q(**{field: Floor(field)})
        condition |= Q(currency=code) & rule
    return condition


def build_supported_currency_condition(field: str, *, blank: bool = False) -> Q:
    condition = Q(**{f"{field}__in": SUPPORTED_CURRENCIES})
    return condition | Q(**{field: ""}) if blank else condition
